"""Version 1 of the privacy notice, as a fresh install publishes it (migration
0003_privacy_notice_v1; `services.notice_current` publishes it again in a database emptied
since). The board publishes later versions from its page (`/privacy/publish/`); this text is
never edited once published: a change is a new version.

The text's conventions (`text.blocks`): a line starting with "## " is a heading, lines starting
with "- " are a list, other lines are paragraphs (a blank line between paragraphs).
"""

SUMMARY_VI = """\
Ban Quản lý các Khu công nghệ cao và Khu công nghiệp thành phố Hà Nội (Ban Quản lý) xử lý họ tên, thư điện tử, số điện thoại, nội dung phản ánh, kiến nghị và tài liệu đính kèm của ông/bà để tiếp nhận, chuyển cơ quan có thẩm quyền giải quyết và trả lời ông/bà.
Chỉ Ban Quản lý và các cơ quan được giao giải quyết phản ánh, kiến nghị được nhận dữ liệu này; họ tên và thông tin liên hệ của ông/bà không bao giờ được công khai.
Dữ liệu được lưu trong thời hạn theo quy tắc lưu trữ do Ban Quản lý ban hành, hết thời hạn thì được xoá.
Ông/bà có quyền xem, chỉnh sửa, nhận bản sao, yêu cầu xoá dữ liệu, rút lại sự đồng ý và khiếu nại, qua đường liên kết riêng trong thư xác nhận tiếp nhận.
Căn cứ: Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định số 356/2025/NĐ-CP."""

SUMMARY_EN = """\
The Management Board of Hanoi High-Tech Parks and Industrial Zones (the board) processes your name, e-mail address, phone number, the text of your petition and its attachments to receive the petition, route it to the agency competent to resolve it, and answer you.
Only the board and the agencies the petition is routed to receive these data; your name and contacts are never published.
The data are kept for the time set by the board's retention rules, then erased.
You may see, correct, download and erase your data, withdraw your consent and complain, through the private link in the acknowledgement e-mail.
Legal basis: Law No. 91/2025/QH15 on Personal Data Protection and Decree No. 356/2025/NĐ-CP."""

TEXT_VI = """\
Thông báo này cho biết ZoneDesk, nền tảng của Ban Quản lý, xử lý những dữ liệu cá nhân nào, vì mục đích gì, ai được nhận, lưu trữ trong bao lâu, và chủ thể dữ liệu có những quyền gì, thực hiện các quyền đó như thế nào. Thông báo được lập theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 (có hiệu lực từ ngày 01/01/2026) và Nghị định số 356/2025/NĐ-CP quy định chi tiết thi hành Luật.

## 1. Bên kiểm soát và xử lý dữ liệu

Ban Quản lý các Khu công nghệ cao và Khu công nghiệp thành phố Hà Nội (sau đây gọi là Ban Quản lý) quyết định mục đích, phương tiện xử lý và chịu trách nhiệm về dữ liệu cá nhân được thu thập trên ZoneDesk.

## 2. Mục đích xử lý

- Tiếp nhận, phân loại, chuyển cơ quan có thẩm quyền giải quyết và trả lời phản ánh, kiến nghị của người dân, doanh nghiệp về quy định hành chính, đầu tư, sản xuất, kinh doanh trong các khu công nghệ cao, khu công nghiệp;
- Liên hệ với người gửi khi cần bổ sung thông tin và thông báo kết quả giải quyết;
- Quản lý tài khoản của doanh nghiệp và cán bộ, công chức, bảo đảm an toàn hệ thống và lưu vết các thao tác (nhật ký hệ thống) theo quy định;
- Thống kê, báo cáo tổng hợp; số liệu thống kê và dữ liệu mở không chứa dữ liệu cá nhân.

Ban Quản lý không sử dụng dữ liệu cá nhân vào mục đích quảng cáo, không mua bán dữ liệu cá nhân.

## 3. Loại dữ liệu cá nhân được xử lý

- Người gửi phản ánh, kiến nghị không có tài khoản: họ tên, thư điện tử, số điện thoại, nội dung phản ánh, kiến nghị và tài liệu đính kèm, thời điểm gửi và thời điểm đồng ý với thông báo này;
- Người dùng của doanh nghiệp và cán bộ, công chức: họ tên, tên đăng nhập, thư điện tử, đơn vị công tác, vai trò trên hệ thống, thông tin đăng nhập và xác thực hai bước;
- Nhật ký hệ thống: người thực hiện, thời điểm, nội dung thay đổi và địa chỉ IP của thiết bị truy cập.

Ban Quản lý không yêu cầu dữ liệu cá nhân nhạy cảm. Đề nghị ông/bà không đưa vào nội dung phản ánh, kiến nghị thông tin về sức khoẻ, tôn giáo, tài chính cá nhân hoặc dữ liệu của người khác nếu không cần thiết cho việc giải quyết.

## 4. Tổ chức, cá nhân được nhận dữ liệu

- Cán bộ, công chức của Ban Quản lý được giao tiếp nhận, xử lý phản ánh, kiến nghị;
- Các cơ quan, đơn vị được Ban Quản lý chuyển phản ánh, kiến nghị để giải quyết hoặc phối hợp giải quyết, trong phạm vi cần thiết cho việc giải quyết;
- Cơ quan nhà nước có thẩm quyền khi pháp luật có yêu cầu.

Dữ liệu cá nhân không được công khai. Khi người gửi đồng ý công khai, chỉ nội dung trả lời và phần tóm tắt do Ban Quản lý biên tập (không có họ tên, thông tin liên hệ của người gửi) được đăng tải; tài liệu đính kèm chỉ được công khai khi người gửi cho phép.

## 5. Thời gian lưu trữ

Dữ liệu cá nhân được lưu trong thời hạn cần thiết cho mục đích xử lý. Thời hạn cụ thể cho từng loại dữ liệu (ví dụ: thông tin liên hệ của người gửi sau khi phản ánh, kiến nghị được giải quyết xong; địa chỉ IP trong nhật ký hệ thống) do Ban Quản lý quy định trong các quy tắc lưu trữ và được công bố trên trang Thông báo về bảo vệ dữ liệu cá nhân (/privacy/). Hết thời hạn, dữ liệu được xoá hoặc khử nhận dạng; bản sao lưu được ghi đè theo chu kỳ sao lưu.

## 6. Quyền của chủ thể dữ liệu

Ông/bà có quyền:

- Được biết về việc xử lý dữ liệu cá nhân của mình;
- Đồng ý hoặc không đồng ý, rút lại sự đồng ý cho phép xử lý dữ liệu;
- Xem, tiếp cận dữ liệu cá nhân của mình;
- Yêu cầu chỉnh sửa dữ liệu chưa chính xác;
- Yêu cầu xoá dữ liệu;
- Yêu cầu hạn chế xử lý dữ liệu;
- Phản đối việc xử lý dữ liệu;
- Yêu cầu cung cấp bản sao dữ liệu cá nhân của mình;
- Khiếu nại, tố cáo, khởi kiện và yêu cầu bồi thường thiệt hại theo quy định của pháp luật.

Việc rút lại sự đồng ý không ảnh hưởng đến tính hợp pháp của việc xử lý đã thực hiện trước đó. Ban Quản lý là cơ quan nhà nước: những thông tin pháp luật yêu cầu lưu giữ trong hồ sơ giải quyết phản ánh, kiến nghị được giữ lại trong phạm vi và thời hạn pháp luật cho phép.

## 7. Cách thực hiện quyền

- Người gửi phản ánh, kiến nghị không có tài khoản: sử dụng đường liên kết riêng trong thư xác nhận tiếp nhận để xem, chỉnh sửa, tải về (tệp JSON), rút lại sự đồng ý hoặc yêu cầu xoá dữ liệu. Nếu không còn đường liên kết, ông/bà có thể yêu cầu đường liên kết mới bằng thư điện tử hoặc số điện thoại đã dùng khi gửi;
- Người dùng có tài khoản: thực hiện tại trang tài khoản của mình;
- Mọi trường hợp: gửi yêu cầu bằng văn bản hoặc đến trực tiếp bộ phận tiếp nhận và trả kết quả của Ban Quản lý.

Ban Quản lý trả lời yêu cầu trong thời hạn pháp luật quy định. Nếu không đồng ý với cách giải quyết, ông/bà có quyền khiếu nại đến Ban Quản lý hoặc phản ánh đến cơ quan chuyên trách bảo vệ dữ liệu cá nhân thuộc Bộ Công an.

## 8. Sự đồng ý

Phản ánh, kiến nghị gửi qua biểu mẫu công khai chỉ được tiếp nhận khi ông/bà chủ động đánh dấu ô đồng ý. Hệ thống ghi lại thời điểm đồng ý và phiên bản thông báo mà ông/bà đã đồng ý. Im lặng hoặc không phản hồi không được coi là đồng ý.

## 9. Bảo vệ dữ liệu và xử lý vi phạm

Dữ liệu được lưu trên hệ thống do Ban Quản lý quản lý; mọi truy cập đều được phân quyền và ghi nhật ký. Khi phát hiện vi phạm quy định bảo vệ dữ liệu cá nhân, Ban Quản lý thông báo cho cơ quan chuyên trách bảo vệ dữ liệu cá nhân và cho chủ thể dữ liệu bị ảnh hưởng theo quy định của pháp luật.

## 10. Thay đổi thông báo

Mỗi lần thay đổi, Ban Quản lý công bố một phiên bản mới có đánh số và ngày công bố. Sự đồng ý đã cho trước đó gắn với phiên bản mà ông/bà đã đọc; các phiên bản trước vẫn được đăng trên trang Thông báo về bảo vệ dữ liệu cá nhân."""

TEXT_EN = """\
This notice tells what personal data ZoneDesk, the board's platform, processes, why, who receives it, how long it is kept, and what rights data subjects have and how to use them. It is written under Law No. 91/2025/QH15 on Personal Data Protection (in force since 1 January 2026) and Decree No. 356/2025/NĐ-CP, which details its implementation.

## 1. Who is responsible

The Management Board of Hanoi High-Tech Parks and Industrial Zones (the board) decides why and how the personal data collected on ZoneDesk are processed, and is responsible for them.

## 2. Purposes

- To receive, classify, route to the competent agency and answer the petitions of citizens and enterprises about administrative regulations, investment, production and business in the high-tech parks and industrial zones;
- To contact the petitioner when more information is needed, and to tell them the outcome;
- To manage the accounts of enterprises and officers, keep the system secure and record what is done in it (the audit trail), as the law requires;
- Statistics and aggregate reports; statistics and open data contain no personal data.

The board does not use personal data for advertising and never sells them.

## 3. Kinds of personal data

- Petitioners without an account: name, e-mail address, phone number, the text of the petition and its attachments, when it was sent and when consent to this notice was given;
- Enterprise users and officers: name, user name, e-mail address, organisation, role in the system, login and two-step verification data;
- The audit trail: who did what and when, the changes made, and the IP address of the device used.

The board asks for no sensitive personal data. Please do not put in a petition information about health, religion, personal finances or other people unless it is needed to resolve it.

## 4. Who receives the data

- The board's officers who receive and handle petitions;
- The agencies and units the board routes a petition to, to resolve it or help resolve it, as far as needed for that;
- Competent state bodies, when the law requires it.

Personal data are never published. When the petitioner allows it, only the answer and a summary written by the board (without the petitioner's name or contacts) are published; attached files are published only if the petitioner allows it.

## 5. How long the data are kept

Personal data are kept only as long as their purpose needs. The time for each kind of data (for example, a petitioner's contacts after the petition is closed, or IP addresses in the audit trail) is set by the board's retention rules and published on the privacy page (/privacy/). When it ends, the data are erased or de-identified; backups are overwritten as their cycle turns.

## 6. Your rights

You have the right:

- To be informed about the processing of your personal data;
- To consent or not, and to withdraw your consent;
- To see and access your personal data;
- To have inaccurate data corrected;
- To have your data erased;
- To have the processing restricted;
- To object to the processing;
- To get a copy of your personal data;
- To complain, denounce, go to court and claim damages as the law provides.

Withdrawing consent does not make unlawful what was processed before. The board is a public body: what the law requires it to keep in the record of a petition is kept within the limits and for the time the law allows.

## 7. How to use your rights

- Petitioners without an account: the private link in the acknowledgement e-mail lets you see, correct and download (a JSON file) your data, withdraw your consent or ask for erasure. If you no longer have the link, ask for a new one with the e-mail address or phone number you used;
- Account holders: from your account page;
- In every case: write to the board, or come to the board's reception desk.

The board answers within the time the law sets. If you disagree with how your request was handled, you may complain to the board or to the personal data protection authority of the Ministry of Public Security.

## 8. Consent

A petition sent through the public form is received only when you tick the consent box yourself. The system records when you consented and the version of this notice you agreed to. Silence or no answer is never consent.

## 9. Protection and breaches

The data are kept in a system the board manages; every access is granted by role and recorded. When a breach of personal data protection is found, the board notifies the personal data protection authority and the data subjects affected, as the law requires.

## 10. Changes to this notice

Each change is published by the board as a new, numbered and dated version. A consent given earlier stays with the version you read; earlier versions remain on the privacy page."""
