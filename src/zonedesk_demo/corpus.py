"""A realistic, varied corpus of Vietnamese petitions ("kiến nghị, vướng mắc") for the demo.

The bank below is written by hand: about two hundred distinct base petitions from enterprises
and investors of the zones, grouped by category, each a title and two to six sentences in the
administrative language firms use with the city. `generate()` combines them with deterministic
light variation: the places of the zone (roads, communes, plots), dates, amounts and head
counts, a polite opening or closing, and now and then a second concern merged into the same
letter. The enterprise is not named: the caller attaches it.

Some base petitions sit between two categories on purpose (land rent: land or tax? a building
permit held up by the fire-safety design: construction or security?), as in real life, so a
classifier trained on this corpus cannot be perfect.

Placeholders in the bank: {zone} {zone_s} {road} {road2} {commune} {locality} {plot} {plot2}
{date} {date2} {month} {workers} {experts} {country} {amount} (bn VND) {amount_s} (small bn VND)
{usd} (m USD) {usd_k} (k USD) {ha} {m2} {pct} {days} {weeks} {months_n} {n} {households}
{hours} {hour} {kva} {mw} {kwp} {floors} {mins} {cm} {hub} {substation} {water_plant}.
Places marked in the zone table are real; plot codes, substations and figures are synthetic.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from zonedesk.core.text import fold

# --- categories and agencies ----------------------------------------------------------------

CATEGORIES: dict[str, tuple[str, str]] = {
    "land": ("Đất đai, giải phóng mặt bằng", "Land and site clearance"),
    "construction": ("Xây dựng, quy hoạch", "Construction permits and planning"),
    "investment": ("Thủ tục đầu tư", "Investment procedures"),
    "tax": ("Thuế", "Tax"),
    "customs": ("Hải quan", "Customs"),
    "labour": ("Lao động, giấy phép lao động", "Labour and work permits for foreign experts"),
    "infrastructure": (
        "Hạ tầng: điện, nước, giao thông, viễn thông",
        "Infrastructure: power, water, roads, telecom",
    ),
    "environment": ("Môi trường", "Environment"),
    "security": ("An ninh trật tự, phòng cháy chữa cháy", "Security, order and fire safety"),
    "other": ("Khác", "Other"),
}

HHTP = "HHTP"


@dataclass(frozen=True)
class Base:
    """One hand-written petition of the bank."""

    category: str
    title: str
    body: str
    procedure: str = ""
    urgent: bool = False
    stop: bool = False  # production stopped
    risk: bool = False  # investment at risk
    sub: str = ""  # land: clearance|records; construction: permit|plan; infrastructure: power|utility
    zones: tuple[str, ...] = ()  # empty: every zone


def _bank(category: str, *items: tuple) -> list[Base]:
    out = []
    for item in items:
        title, body, *rest = item
        opts = rest[0] if rest else {}
        out.append(Base(category, title, body, **opts))
    return out


# --- the bank: land and site clearance (sub: clearance -> commune in Hoa Lac; records) -------

LAND = _bank(
    "land",
    (
        "Chậm bàn giao mặt bằng lô {plot} do còn hộ dân chưa nhận tiền bồi thường",
        "Công ty đã được cho thuê đất tại lô {plot} với diện tích {ha} ha nhưng đến nay mới nhận "
        "bàn giao trên thực địa khoảng {pct}% diện tích. Phần còn lại vướng {households} hộ dân ở "
        "{commune} chưa đồng ý nhận tiền bồi thường, hỗ trợ. Nhà thầu thi công phải dừng chờ, chi "
        "phí phát sinh mỗi tháng lên tới hàng trăm triệu đồng. Đề nghị chính quyền địa phương đẩy "
        "nhanh công tác vận động, giải phóng mặt bằng và bàn giao đất sạch trước {date2}.",
        {"procedure": "Bàn giao đất trên thực địa", "risk": True, "sub": "clearance"},
    ),
    (
        "Đề nghị tổ chức cưỡng chế thu hồi phần đất còn lại của dự án",
        "Dự án của doanh nghiệp đã có quyết định thu hồi đất, tiền bồi thường đã chi trả cho gần "
        "hết các hộ, chỉ còn {households} hộ chưa bàn giao. Các hộ này đã được vận động nhiều lần "
        "nhưng vẫn yêu cầu mức hỗ trợ cao hơn quy định. Doanh nghiệp kiến nghị UBND {commune} xây "
        "dựng lộ trình cụ thể và tổ chức cưỡng chế theo quy định nếu các hộ tiếp tục không hợp "
        "tác, để dự án kịp khởi công trong {month}.",
        {"procedure": "Cưỡng chế thu hồi đất", "sub": "clearance"},
    ),
    (
        "Vướng di dời mộ phần trong phạm vi khu đất dự án",
        "Trên khu đất doanh nghiệp được giao tại {commune} còn khoảng {n} ngôi mộ chưa được di "
        "dời. Theo phương án bồi thường, việc di chuyển mộ do địa phương chủ trì nhưng đã quá "
        "{months_n} tháng vẫn chưa thực hiện. Đề nghị xã sớm thông báo cho các gia đình, bố trí "
        "vị trí tại nghĩa trang tiếp nhận để hoàn thành giải phóng mặt bằng.",
        {"procedure": "Bồi thường, hỗ trợ, tái định cư", "sub": "clearance"},
    ),
    (
        "Người dân tiếp tục canh tác, dựng lán trên đất đã bàn giao cho dự án",
        "Một phần diện tích khoảng {m2} m² thuộc lô {plot} đã được bàn giao cho công ty nhưng "
        "người dân vẫn trồng rau, dựng lán tạm và chăn thả gia súc. Khi công ty dựng hàng rào tạm "
        "thì bị một số người phản đối, ngăn cản. Đề nghị chính quyền {commune} phối hợp lập biên "
        "bản, yêu cầu trả lại mặt bằng để công ty triển khai thi công nhà xưởng.",
        {"procedure": "Bàn giao đất trên thực địa", "sub": "clearance"},
    ),
    (
        "Ranh giới lô đất trên thực địa lệch so với bản đồ giao đất",
        "Khi đo đạc lại để lập hồ sơ thiết kế, đơn vị tư vấn phát hiện ranh giới lô {plot} trên "
        "thực địa lệch so với bản đồ trích đo kèm quyết định cho thuê đất khoảng {n} m, phần chồng "
        "lấn với đường gom khoảng {m2} m². Doanh nghiệp đề nghị cơ quan quản lý đất đai kiểm tra, "
        "xác định lại mốc giới và chỉnh lý hồ sơ địa chính để làm căn cứ xin giấy phép xây dựng.",
        {"procedure": "Trích đo, cắm mốc giới", "sub": "records"},
    ),
    (
        "Chậm cấp giấy chứng nhận quyền sử dụng đất cho dự án đã đi vào hoạt động",
        "Công ty đã hoàn thành xây dựng, đưa nhà máy vào hoạt động và nộp đủ hồ sơ đề nghị cấp "
        "giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất từ {date}. Đến "
        "nay hồ sơ vẫn chưa có kết quả, cũng không có văn bản nêu lý do. Không có giấy chứng nhận, "
        "doanh nghiệp không thể thế chấp tài sản để vay vốn mở rộng sản xuất. Kính đề nghị cơ quan "
        "chức năng sớm xem xét, cấp giấy chứng nhận.",
        {"procedure": "Cấp giấy chứng nhận quyền sử dụng đất", "risk": True, "sub": "records"},
    ),
    (
        "Chưa có đơn giá thuê đất cho chu kỳ ổn định mới",
        "Chu kỳ ổn định đơn giá thuê đất của dự án đã hết từ {month} nhưng doanh nghiệp chưa nhận "
        "được thông báo đơn giá mới. Công ty lo ngại khi có quyết định sẽ phải nộp bổ sung một "
        "khoản lớn kèm tiền chậm nộp không do lỗi của mình. Đề nghị cơ quan quản lý đất đai sớm "
        "xác định giá đất cụ thể và hướng dẫn doanh nghiệp tạm nộp theo đơn giá cũ.",
        {"procedure": "Xác định đơn giá thuê đất", "sub": "records"},
    ),
    (
        "Khu tái định cư chưa xong khiến người dân chưa bàn giao mặt bằng",
        "Phần lớn các hộ dân ở {commune} có đất bị thu hồi cho dự án đã đồng ý phương án bồi "
        "thường nhưng đề nghị được nhận đất tái định cư trước khi bàn giao. Khu tái định cư theo "
        "quy hoạch đến nay chưa hoàn thành hạ tầng. Doanh nghiệp sẵn sàng ứng trước kinh phí, đề "
        "nghị xã và thành phố đẩy nhanh tiến độ khu tái định cư để sớm có mặt bằng sạch.",
        {"procedure": "Bồi thường, hỗ trợ, tái định cư", "sub": "clearance"},
    ),
    (
        "Đề nghị công bố lộ trình giải phóng mặt bằng các khu vực còn vướng",
        "Tại hội nghị đối thoại, thành phố cho biết sẽ có lộ trình giải phóng mặt bằng cho các khu "
        "vực còn vướng ở {commune}. Doanh nghiệp đang cân nhắc đầu tư giai đoạn 2 trên diện tích "
        "{ha} ha liền kề nhưng chưa biết khi nào có đất sạch. Đề nghị công bố lộ trình cụ thể theo "
        "từng lô, có mốc thời gian bàn giao, để nhà đầu tư chủ động kế hoạch vốn.",
        {"procedure": "Giải phóng mặt bằng", "risk": True, "sub": "clearance"},
    ),
    (
        "Người dân chưa đồng ý đơn giá bồi thường cây trồng, hoa màu",
        "Các hộ đang canh tác trên lô {plot} phản ánh đơn giá bồi thường cây ăn quả, hoa màu thấp "
        "hơn khu vực lân cận nên chưa đồng ý bàn giao. Doanh nghiệp không có thẩm quyền giải thích "
        "chính sách cho người dân. Đề nghị Hội đồng bồi thường của {commune} tổ chức đối thoại, "
        "giải thích rõ căn cứ áp giá để sớm thống nhất.",
        {"procedure": "Bồi thường, hỗ trợ, tái định cư", "sub": "clearance"},
    ),
    (
        "Đất công ích và mương thủy lợi cũ xen kẹt trong ranh giới dự án",
        "Trong ranh giới dự án còn {n} thửa đất công ích do xã quản lý và một đoạn mương thủy lợi "
        "cũ không còn sử dụng. Các thửa này làm khu đất bị chia cắt, không thể bố trí nhà xưởng "
        "liền khối. Đề nghị UBND {commune} hoàn tất thủ tục thu hồi để giao đủ diện tích cho dự án "
        "theo quyết định chủ trương đầu tư.",
        {"procedure": "Thu hồi đất", "sub": "clearance"},
    ),
    (
        "Hồ sơ đăng ký thế chấp tài sản trên đất thuê bị yêu cầu bổ sung nhiều lần",
        "Công ty thuê đất trả tiền hằng năm và cần thế chấp tài sản gắn liền với đất để vay "
        "{amount} tỷ đồng mở rộng nhà xưởng. Văn phòng đăng ký đất đai yêu cầu bổ sung nhiều giấy "
        "tờ không có trong thành phần hồ sơ theo quy định. Đề nghị hướng dẫn thống nhất thành phần "
        "hồ sơ đăng ký thế chấp để doanh nghiệp hoàn thiện một lần.",
        {"procedure": "Đăng ký thế chấp", "risk": True, "sub": "records"},
    ),
    (
        "Tuyến đường dây trung thế cũ đi qua lô đất chưa được di dời",
        "Lô đất {plot} của công ty có tuyến đường dây trung thế cũ đi qua, hành lang an toàn chiếm "
        "khoảng {m2} m². Theo cam kết khi giao đất, tuyến dây này sẽ được di dời trước khi bàn "
        "giao mặt bằng nhưng đến nay chưa thực hiện. Đề nghị các bên liên quan thống nhất kinh phí, "
        "thời gian di dời và hoàn thiện việc bàn giao mặt bằng sạch.",
        {"procedure": "Bàn giao đất trên thực địa", "sub": "clearance"},
    ),
    (
        "Đề nghị gia hạn sử dụng đất, không thu hồi do chậm tiến độ vì lý do khách quan",
        "Công ty nhận được thông báo kiểm tra việc chậm đưa đất vào sử dụng tại lô {plot}. Nguyên "
        "nhân là mặt bằng bàn giao không liền khoảnh và nhiều năm vướng giải phóng mặt bằng, không "
        "phải do doanh nghiệp. Đề nghị xem xét cho gia hạn sử dụng đất 24 tháng và không áp dụng "
        "biện pháp thu hồi đất.",
        {"procedure": "Gia hạn sử dụng đất", "risk": True, "urgent": True, "sub": "records"},
    ),
    (
        "Công trình, cây trồng phát sinh sau thời điểm kiểm đếm",
        "Sau khi kiểm đếm, một số hộ ở {commune} vẫn xây thêm lán trại, chuồng trại và trồng cây "
        "mới trên phần đất đã có thông báo thu hồi để hưởng bồi thường. Nếu không xử lý, chi phí "
        "bồi thường tăng và thời gian giải phóng mặt bằng kéo dài. Doanh nghiệp đề nghị chính "
        "quyền xã kiểm tra, xử lý dứt điểm các công trình phát sinh trái phép.",
        {"procedure": "Kiểm đếm, bồi thường", "sub": "clearance"},
    ),
    (
        "Tranh chấp ranh giới giữa dự án và khu đất nghĩa trang của thôn",
        "Phía tây lô {plot} giáp khu đất nghĩa trang của thôn; người dân cho rằng dự án đã lấn "
        "sang khoảng {m2} m². Việc tranh chấp khiến doanh nghiệp chưa thể xây tường rào và cổng "
        "chính. Đề nghị UBND {commune} chủ trì cùng doanh nghiệp và đại diện thôn đo đạc, cắm lại "
        "mốc giới tại thực địa.",
        {"procedure": "Giải quyết tranh chấp đất đai", "sub": "clearance"},
    ),
    (
        "Chưa có tuyến mương hoàn trả nên người dân không cho san lấp",
        "Tuyến mương tưới tiêu phục vụ sản xuất nông nghiệp của người dân {commune} chạy xuyên qua "
        "khu đất dự án. Người dân chỉ đồng ý cho san lấp khi đã có tuyến mương hoàn trả. Đề nghị "
        "địa phương phê duyệt phương án hoàn trả mương và cho phép doanh nghiệp ứng vốn thi công "
        "để sớm giải phóng mặt bằng.",
        {"procedure": "Giải phóng mặt bằng", "sub": "clearance"},
    ),
    (
        "Thời gian miễn tiền thuê đất nên tính từ ngày nhận đất thực tế",
        "Dự án thuộc lĩnh vực công nghệ cao được miễn tiền thuê đất trong thời gian xây dựng cơ "
        "bản. Tuy nhiên mặt bằng được bàn giao chậm {months_n} tháng so với quyết định cho thuê "
        "đất. Doanh nghiệp đề nghị tính thời gian miễn tiền thuê đất kể từ ngày nhận bàn giao đất "
        "trên thực địa, không tính từ ngày ký quyết định.",
        {"procedure": "Miễn, giảm tiền thuê đất", "sub": "records"},
    ),
    (
        "Cập nhật địa chỉ khu đất trên giấy chứng nhận sau khi sắp xếp đơn vị hành chính",
        "Sau khi sắp xếp đơn vị hành chính cấp xã, địa chỉ khu đất của công ty đã đổi sang "
        "{commune}. Ngân hàng và đối tác yêu cầu cập nhật địa chỉ mới trên giấy chứng nhận quyền "
        "sử dụng đất và các hồ sơ pháp lý liên quan. Đề nghị hướng dẫn thủ tục đính chính đơn "
        "giản, không phải nộp lại toàn bộ hồ sơ.",
        {"procedure": "Đính chính giấy chứng nhận", "sub": "records"},
    ),
    (
        "Khoản tiền bồi thường doanh nghiệp ứng trước chưa được khấu trừ",
        "Theo đề nghị của địa phương, công ty đã ứng trước {amount_s} tỷ đồng tiền bồi thường, giải "
        "phóng mặt bằng. Đến nay khoản tiền này chưa được xác nhận để khấu trừ vào tiền thuê đất "
        "phải nộp. Đề nghị cơ quan có thẩm quyền xác nhận số tiền đã ứng và hướng dẫn thủ tục khấu "
        "trừ.",
        {"procedure": "Khấu trừ tiền bồi thường vào tiền thuê đất", "sub": "records"},
    ),
    (
        "Hộ dân đòi bồi thường lại vì cho rằng áp sai loại đất",
        "Một số hộ ở {commune} cho rằng đất của họ là đất vườn liền kề đất ở chứ không phải đất "
        "nông nghiệp, nên đề nghị tính lại tiền bồi thường. Phần đất liên quan khoảng {m2} m² nằm "
        "ngay vị trí cổng chính của nhà máy theo thiết kế. Đề nghị địa phương rà soát nguồn gốc "
        "đất, trả lời người dân bằng văn bản để khép lại vụ việc.",
        {"procedure": "Xác định nguồn gốc đất", "sub": "clearance"},
    ),
)

# --- construction permits (SXD) and planning (QHKT) ------------------------------------------

CONSTRUCTION = _bank(
    "construction",
    (
        "Giấy phép xây dựng nhà xưởng giai đoạn 2 quá hạn giải quyết",
        "Công ty nộp hồ sơ đề nghị cấp giấy phép xây dựng nhà xưởng giai đoạn 2, tổng diện tích "
        "sàn {m2} m², từ {date}. Đã quá thời hạn theo quy định nhưng doanh nghiệp chưa nhận được "
        "giấy phép hay văn bản yêu cầu bổ sung. Các đơn hàng xuất khẩu đã ký phụ thuộc vào việc "
        "hoàn thành nhà xưởng. Kính đề nghị cơ quan cấp phép giải quyết đúng hạn.",
        {"procedure": "Cấp giấy phép xây dựng", "risk": True, "sub": "permit"},
    ),
    (
        "Hồ sơ thẩm định thiết kế bị yêu cầu bổ sung nhiều lần, mỗi lần một ý kiến mới",
        "Hồ sơ thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở của dự án đã phải bổ sung "
        "{n} lần, lần sau lại phát sinh yêu cầu không nêu ở lần trước. Doanh nghiệp đề nghị cơ "
        "quan chuyên môn về xây dựng có ý kiến một lần, đầy đủ bằng văn bản để tư vấn hoàn thiện, "
        "tránh kéo dài thời gian.",
        {"procedure": "Thẩm định thiết kế xây dựng", "sub": "permit"},
    ),
    (
        "Chưa được kiểm tra công tác nghiệm thu để đưa nhà xưởng vào sử dụng",
        "Nhà xưởng và nhà văn phòng đã thi công xong từ {date}, công ty đã đề nghị cơ quan chuyên "
        "môn kiểm tra công tác nghiệm thu nhưng lịch kiểm tra liên tục bị lùi. Máy móc nhập về đang "
        "phải lưu kho, chưa thể lắp đặt. Đề nghị bố trí kiểm tra sớm để doanh nghiệp đưa công "
        "trình vào sử dụng.",
        {"procedure": "Kiểm tra công tác nghiệm thu công trình", "urgent": True, "risk": True, "sub": "permit"},
    ),
    (
        "Yêu cầu về lối thoát nạn khi cấp phép khác với hồ sơ thẩm duyệt PCCC",
        "Thiết kế nhà xưởng đã được thẩm duyệt về phòng cháy chữa cháy, nhưng khi xin giấy phép "
        "xây dựng công ty lại được yêu cầu bố trí lối thoát nạn khác với hồ sơ đã thẩm duyệt. Nếu "
        "điều chỉnh, doanh nghiệp phải thẩm duyệt PCCC lại từ đầu. Đề nghị cơ quan cấp phép xây "
        "dựng và cơ quan PCCC thống nhất một hướng dẫn để doanh nghiệp không phải làm lại nhiều "
        "vòng.",
        {"procedure": "Cấp giấy phép xây dựng", "sub": "permit"},
    ),
    (
        "Công trình tạm phục vụ thi công có phải xin giấy phép xây dựng",
        "Nhà thầu cần dựng lán trại, kho vật tư và trạm trộn bê tông tạm trên đất dự án trong "
        "khoảng {months_n} tháng. Doanh nghiệp chưa rõ công trình tạm có phải xin giấy phép hay chỉ "
        "cần thông báo khởi công. Đề nghị hướng dẫn cụ thể để tránh bị xử phạt khi thi công.",
        {"procedure": "Cấp giấy phép xây dựng có thời hạn", "sub": "permit"},
    ),
    (
        "Cải tạo, lắp thêm sàn lửng trong nhà xưởng hiện hữu",
        "Công ty dự kiến cải tạo bên trong nhà xưởng, thay kết cấu mái và lắp thêm sàn lửng khoảng "
        "{m2} m² để bố trí dây chuyền mới. Đề nghị hướng dẫn trường hợp này thuộc diện miễn giấy "
        "phép xây dựng hay phải xin giấy phép sửa chữa, cải tạo, và thành phần hồ sơ cần chuẩn bị.",
        {"procedure": "Cấp giấy phép sửa chữa, cải tạo", "sub": "permit"},
    ),
    (
        "Bị lập biên bản vi phạm trật tự xây dựng với hạng mục mái che phụ trợ",
        "Đoàn kiểm tra trật tự xây dựng lập biên bản công trình của công ty vì thi công mái che khu "
        "tập kết hàng chưa có trong giấy phép. Đây là hạng mục phụ trợ, không ảnh hưởng kết cấu "
        "chính. Đề nghị hướng dẫn thủ tục điều chỉnh giấy phép xây dựng thay vì buộc tháo dỡ.",
        {"procedure": "Điều chỉnh giấy phép xây dựng", "sub": "permit"},
    ),
    (
        "Giấy phép hoạt động xây dựng cho nhà thầu nước ngoài kéo dài",
        "Nhà thầu thiết kế, thi công gói EPC phòng sạch là doanh nghiệp đến từ {country}. Thủ tục "
        "cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài kéo dài do yêu cầu hợp pháp hóa "
        "lãnh sự nhiều tài liệu. Đề nghị Sở Xây dựng xem xét chấp nhận bản dịch có chứng thực đối "
        "với một số tài liệu để rút ngắn thời gian.",
        {"procedure": "Cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài", "sub": "permit"},
    ),
    (
        "Thiếu hồ sơ hoàn công của nhà xưởng nhận chuyển nhượng",
        "Công ty nhận chuyển nhượng nhà xưởng xây dựng từ nhiều năm trước trên lô {plot} và muốn "
        "cải tạo để lắp máy móc nặng. Hồ sơ hoàn công của chủ cũ bị thất lạc một phần. Đề nghị "
        "hướng dẫn thủ tục kiểm định, đánh giá an toàn kết cấu và cấp phép sửa chữa trong trường "
        "hợp thiếu hồ sơ gốc.",
        {"procedure": "Kiểm định chất lượng công trình", "sub": "permit"},
    ),
    (
        "Đề nghị liên thông thẩm định thiết kế và cấp giấy phép xây dựng",
        "Doanh nghiệp đề nghị liên thông giữa thẩm định thiết kế xây dựng và cấp giấy phép xây "
        "dựng trên cổng dịch vụ công, tránh nộp cùng một bộ hồ sơ hai lần ở hai nơi. Hiện tổng "
        "thời gian từ khi nộp thẩm định đến khi có giấy phép khoảng {months_n} tháng, ảnh hưởng "
        "lớn đến tiến độ dự án.",
        {"procedure": "Cấp giấy phép xây dựng", "sub": "permit"},
    ),
    (
        "Xây thêm trạm biến áp và bể nước chữa cháy ngầm có phải điều chỉnh giấy phép",
        "Công ty xây bổ sung trạm biến áp 22/0,4 kV và bể nước chữa cháy ngầm trong khuôn viên nhà "
        "máy đã được cấp giấy phép xây dựng. Đề nghị hướng dẫn các hạng mục này có phải điều chỉnh "
        "giấy phép xây dựng hay không, và có cần thẩm định lại thiết kế.",
        {"procedure": "Điều chỉnh giấy phép xây dựng", "sub": "permit"},
    ),
    (
        "Đề nghị điều chỉnh cục bộ quy hoạch chi tiết 1/500 để tăng mật độ xây dựng",
        "Quy hoạch chi tiết tỷ lệ 1/500 được duyệt cho lô {plot} quy định mật độ xây dựng tối đa "
        "thấp hơn nhu cầu bố trí dây chuyền mới. Doanh nghiệp đề nghị điều chỉnh cục bộ quy hoạch, "
        "nâng mật độ xây dựng phù hợp quy chuẩn hiện hành mà không thay đổi chức năng sử dụng đất.",
        {"procedure": "Điều chỉnh cục bộ quy hoạch chi tiết", "sub": "plan"},
    ),
    (
        "Khu chức năng chưa có quy hoạch chi tiết nên không lập được hồ sơ cấp phép",
        "Khu đất công ty được giới thiệu nằm trong phân khu chức năng chưa có quy hoạch chi tiết "
        "tỷ lệ 1/500 được phê duyệt. Cơ quan cấp phép yêu cầu phải có quy hoạch chi tiết hoặc tổng "
        "mặt bằng được chấp thuận. Đề nghị cho phép doanh nghiệp lập tổng mặt bằng và phương án "
        "kiến trúc để trình chấp thuận song song.",
        {"procedure": "Chấp thuận tổng mặt bằng", "sub": "plan"},
    ),
    (
        "Chưa được cung cấp thông tin quy hoạch và chỉ giới đường đỏ",
        "Để lập dự án, doanh nghiệp cần thông tin quy hoạch, chỉ giới đường đỏ và cao độ nền của "
        "lô {plot} tiếp giáp {road}. Văn bản đề nghị cung cấp thông tin quy hoạch gửi từ {date} "
        "nhưng chưa được trả lời. Đề nghị cơ quan quy hoạch sớm cung cấp để tư vấn kịp lập hồ sơ.",
        {"procedure": "Cung cấp thông tin quy hoạch", "sub": "plan"},
    ),
    (
        "Quy hoạch phân khu mới có tuyến đường cắt qua đất đã giao",
        "Quy hoạch phân khu mới được phê duyệt thể hiện một tuyến đường cắt qua phần đất công ty "
        "đã được giao theo quy hoạch chi tiết trước đây. Doanh nghiệp không biết phần đất này có bị "
        "thu hồi hay không và có được tiếp tục xây dựng. Đề nghị làm rõ và công bố công khai bản đồ "
        "quy hoạch để doanh nghiệp chủ động.",
        {"procedure": "Cung cấp thông tin quy hoạch", "risk": True, "sub": "plan"},
    ),
    (
        "Chỉ tiêu chiều cao, hệ số sử dụng đất chưa phù hợp trung tâm nghiên cứu",
        "Công ty đầu tư trung tâm nghiên cứu và phát triển, cần tòa nhà {floors} tầng để bố trí "
        "phòng thí nghiệm và văn phòng kỹ sư. Chỉ tiêu quy hoạch hiện hành giới hạn chiều cao và "
        "hệ số sử dụng đất thấp, buộc phải dàn trải công trình, lãng phí đất. Đề nghị xem xét điều "
        "chỉnh chỉ tiêu quy hoạch cho mô hình nghiên cứu tập trung.",
        {"procedure": "Điều chỉnh chỉ tiêu quy hoạch", "sub": "plan"},
    ),
    (
        "Đề nghị công khai đồ án quy hoạch chi tiết đã được phê duyệt",
        "Nhiều doanh nghiệp và nhà đầu tư tiềm năng khó tiếp cận bản vẽ quy hoạch chi tiết của "
        "{zone_s} đã được duyệt. Doanh nghiệp đề nghị công bố đồ án quy hoạch và chỉ tiêu sử dụng "
        "đất từng lô trên cổng thông tin, bản đồ số để nhà đầu tư tra cứu trước khi đăng ký đầu tư.",
        {"procedure": "Công bố quy hoạch", "sub": "plan"},
    ),
    (
        "Phương án kiến trúc mặt đứng bị yêu cầu sửa nhiều lần",
        "Lô đất của công ty tiếp giáp {road}, thuộc tuyến cần kiểm soát kiến trúc. Phương án kiến "
        "trúc trình từ {date} đã nhận ý kiến yêu cầu thay đổi màu sắc, vật liệu mặt đứng nhiều lần "
        "với các yêu cầu khác nhau. Đề nghị ban hành quy chế quản lý kiến trúc rõ ràng để doanh "
        "nghiệp thiết kế đúng từ đầu.",
        {"procedure": "Chấp thuận phương án kiến trúc", "sub": "plan"},
    ),
    (
        "Điều chỉnh tổng mặt bằng khi hợp nhất hai lô đất liền kề",
        "Công ty thuê thêm lô {plot2} liền kề lô {plot} và muốn hợp nhất thành một nhà máy. Theo "
        "quy hoạch chi tiết, giữa hai lô có một tuyến đường nội bộ dự kiến nhưng chưa đầu tư và "
        "không còn cần thiết. Đề nghị cho phép điều chỉnh tổng mặt bằng, bỏ tuyến đường này.",
        {"procedure": "Điều chỉnh tổng mặt bằng", "sub": "plan"},
    ),
    (
        "Cao độ san nền theo quy hoạch cao hơn mặt đường hiện trạng",
        "Cao độ san nền theo quy hoạch của lô {plot} cao hơn mặt đường {road} hiện trạng khoảng "
        "{n} m nên việc đấu nối lối vào và thoát nước mưa rất khó khăn. Đề nghị cơ quan quy hoạch "
        "xem xét điều chỉnh cao độ nền cho phù hợp hoặc cho biết tiến độ nâng cao độ tuyến đường.",
        {"procedure": "Cung cấp thông tin quy hoạch", "sub": "plan"},
    ),
    (
        "Chưa rõ tỷ lệ đất ở và đất dịch vụ trên lô đất hỗn hợp",
        "Doanh nghiệp muốn đầu tư nhà ở cho chuyên gia và khu dịch vụ tiện ích trên lô đất hỗn hợp "
        "nhưng quy hoạch chưa xác định rõ tỷ lệ đất ở, đất thương mại dịch vụ. Đề nghị cơ quan quy "
        "hoạch hướng dẫn chỉ tiêu cụ thể để doanh nghiệp lập dự án.",
        {"procedure": "Cung cấp thông tin quy hoạch", "sub": "plan"},
    ),
    (
        "Thời hạn giấy phép xây dựng hết trước khi khởi công do chờ mặt bằng",
        "Giấy phép xây dựng của công ty sắp hết hiệu lực nhưng chưa thể khởi công vì một phần mặt "
        "bằng chưa được bàn giao. Đề nghị hướng dẫn thủ tục gia hạn giấy phép xây dựng và không "
        "tính thời gian chờ mặt bằng vào thời hạn của giấy phép.",
        {"procedure": "Gia hạn giấy phép xây dựng", "sub": "permit"},
    ),
)

# --- investment procedures (board) -----------------------------------------------------------

INVESTMENT = _bank(
    "investment",
    (
        "Hồ sơ điều chỉnh giấy chứng nhận đăng ký đầu tư để tăng vốn chưa có kết quả",
        "Công ty nộp hồ sơ điều chỉnh giấy chứng nhận đăng ký đầu tư để tăng vốn thêm {usd} triệu "
        "USD và bổ sung mục tiêu sản xuất linh kiện điện tử từ {date}. Hồ sơ đã được gửi lấy ý kiến "
        "các sở, ngành nhưng chưa có kết quả. Công ty mẹ phải quyết định phân bổ vốn trước cuối "
        "quý; nếu chậm, khoản đầu tư có thể chuyển sang nước khác trong khu vực.",
        {"procedure": "Điều chỉnh giấy chứng nhận đăng ký đầu tư", "urgent": True, "risk": True},
    ),
    (
        "Đề nghị giãn tiến độ dự án tương ứng thời gian chậm bàn giao đất",
        "Theo giấy chứng nhận đăng ký đầu tư, dự án phải đi vào hoạt động trong quý này nhưng mặt "
        "bằng được bàn giao chậm {months_n} tháng. Doanh nghiệp đề nghị được điều chỉnh tiến độ "
        "thực hiện dự án tương ứng mà không bị coi là vi phạm, không bị xử phạt.",
        {"procedure": "Điều chỉnh tiến độ dự án đầu tư"},
    ),
    (
        "Thủ tục nhà đầu tư nước ngoài góp vốn, mua cổ phần",
        "Một quỹ đầu tư nước ngoài dự kiến mua {pct}% cổ phần của công ty. Doanh nghiệp chưa rõ "
        "trường hợp này có phải đăng ký góp vốn, mua cổ phần với Ban Quản lý hay không, và có phải "
        "điều chỉnh giấy chứng nhận đăng ký đầu tư. Đề nghị hướng dẫn trình tự, hồ sơ cụ thể.",
        {"procedure": "Đăng ký góp vốn, mua cổ phần của nhà đầu tư nước ngoài"},
    ),
    (
        "Điều kiện chuyển nhượng một phần dự án cho nhà đầu tư chiến lược",
        "Công ty có kế hoạch chuyển nhượng phần dự án giai đoạn 2 cho một nhà đầu tư chiến lược. "
        "Đề nghị Ban Quản lý hướng dẫn điều kiện chuyển nhượng dự án theo Luật Đầu tư mới, thành "
        "phần hồ sơ và thời gian giải quyết để doanh nghiệp chủ động đàm phán hợp đồng.",
        {"procedure": "Chuyển nhượng dự án đầu tư"},
    ),
    (
        "Quá hạn cấp giấy chứng nhận đăng ký đầu tư cho dự án nghiên cứu và phát triển",
        "Nhà đầu tư nộp hồ sơ đề nghị cấp giấy chứng nhận đăng ký đầu tư cho dự án trung tâm "
        "nghiên cứu và phát triển, vốn {amount} tỷ đồng, từ {date}. Đã quá thời hạn giải quyết mà "
        "chưa nhận được phản hồi. Đề nghị Ban Quản lý cho biết tình trạng hồ sơ và những nội dung "
        "cần giải trình.",
        {"procedure": "Cấp giấy chứng nhận đăng ký đầu tư", "risk": True},
    ),
    (
        "Giấy chứng nhận đăng ký đầu tư chưa ghi đầy đủ ưu đãi đầu tư",
        "Giấy chứng nhận đăng ký đầu tư của công ty chưa ghi rõ các ưu đãi của dự án công nghệ "
        "cao, nên khi kê khai ưu đãi doanh nghiệp bị yêu cầu bổ sung căn cứ. Đề nghị Ban Quản lý "
        "điều chỉnh, ghi nhận đầy đủ ưu đãi đầu tư trong giấy chứng nhận.",
        {"procedure": "Điều chỉnh giấy chứng nhận đăng ký đầu tư"},
    ),
    (
        "Chậm cấp giấy chứng nhận doanh nghiệp công nghệ cao",
        "Công ty nộp hồ sơ đề nghị cấp giấy chứng nhận doanh nghiệp công nghệ cao từ {date}, đã "
        "được kiểm tra thực tế tại nhà máy nhưng chưa có kết quả. Việc chậm chứng nhận ảnh hưởng "
        "đến quyền lợi của doanh nghiệp và cơ hội trở thành nhà cung cấp cho các tập đoàn đa quốc "
        "gia. Đề nghị cơ quan thẩm định sớm trả lời.",
        {"procedure": "Cấp giấy chứng nhận doanh nghiệp công nghệ cao"},
    ),
    (
        "Hoàn trả tiền ký quỹ bảo đảm thực hiện dự án",
        "Công ty đã ký quỹ bảo đảm thực hiện dự án {amount_s} tỷ đồng. Dự án đã hoàn thành góp vốn "
        "và xây dựng theo tiến độ cam kết nhưng chưa được hoàn trả tiền ký quỹ. Đề nghị hướng dẫn "
        "thủ tục và thời hạn hoàn trả ký quỹ.",
        {"procedure": "Hoàn trả ký quỹ bảo đảm thực hiện dự án"},
    ),
    (
        "Rút bớt một mục tiêu của dự án đầu tư",
        "Do thị trường thay đổi, công ty muốn chấm dứt mục tiêu lắp ráp thiết bị và tập trung vào "
        "thiết kế phần mềm nhúng. Đề nghị hướng dẫn thủ tục điều chỉnh mục tiêu dự án và các nghĩa "
        "vụ liên quan đến đất đai, ưu đãi đầu tư đã hưởng.",
        {"procedure": "Điều chỉnh dự án đầu tư"},
    ),
    (
        "Hướng dẫn chuyển tiếp cho hồ sơ nộp trước khi Luật Đầu tư mới có hiệu lực",
        "Luật Đầu tư số 143/2025/QH15 có hiệu lực từ ngày 01/3/2026, nhưng việc chuyển tiếp đối với "
        "hồ sơ điều chỉnh dự án nộp trước thời điểm này chưa rõ. Doanh nghiệp đề nghị Ban Quản lý "
        "tổ chức hội nghị phổ biến và hướng dẫn chuyển tiếp bằng văn bản cho các dự án đang điều "
        "chỉnh.",
        {"procedure": "Điều chỉnh dự án đầu tư"},
    ),
    (
        "Thời gian chấp thuận chủ trương đầu tư kéo dài qua nhiều vòng lấy ý kiến",
        "Dự án thuộc diện chấp thuận chủ trương đầu tư do sử dụng {ha} ha đất. Hồ sơ đã nộp hơn "
        "{months_n} tháng, qua nhiều vòng lấy ý kiến sở, ngành với các ý kiến khác nhau. Đề nghị "
        "thành phố tổ chức họp liên ngành, thống nhất một lần để rút ngắn thời gian.",
        {"procedure": "Chấp thuận chủ trương đầu tư", "risk": True},
    ),
    (
        "Báo cáo tình hình thực hiện dự án trùng lặp trên nhiều hệ thống",
        "Doanh nghiệp đang nộp báo cáo tình hình thực hiện dự án trên Hệ thống thông tin quốc gia "
        "về đầu tư, đồng thời gửi bản giấy và báo cáo riêng theo yêu cầu của một số cơ quan với "
        "các chỉ tiêu tương tự. Đề nghị thống nhất một đầu mối, một hệ thống báo cáo để giảm thủ "
        "tục hành chính.",
        {"procedure": "Báo cáo giám sát, đánh giá đầu tư"},
    ),
    (
        "Nhà đầu tư mới cần thông tin quỹ đất và quy trình đăng ký đầu tư",
        "Một tập đoàn của {country} đang tìm địa điểm khoảng {ha} ha để đặt nhà máy đóng gói, kiểm "
        "thử chip bán dẫn và cần thông tin quỹ đất sạch, giá thuê, hạ tầng điện nước. Đề nghị Ban "
        "Quản lý bố trí buổi làm việc, cung cấp thông tin xúc tiến đầu tư và quy trình đăng ký đầu "
        "tư.",
        {"procedure": "Xúc tiến đầu tư"},
    ),
    (
        "Tên dự án và tên doanh nghiệp không khớp giữa hai thủ tục",
        "Nhà đầu tư nước ngoài đã được cấp giấy chứng nhận đăng ký đầu tư nhưng khi đăng ký thành "
        "lập doanh nghiệp lại bị yêu cầu điều chỉnh tên dự án cho khớp tên công ty. Đề nghị Ban "
        "Quản lý phối hợp với cơ quan đăng ký kinh doanh để hai thủ tục thống nhất, tránh phải "
        "điều chỉnh giấy chứng nhận.",
        {"procedure": "Đăng ký thành lập doanh nghiệp"},
    ),
    (
        "Xác nhận vốn đầu tư thực hiện để chuyển lợi nhuận ra nước ngoài",
        "Ngân hàng yêu cầu văn bản xác nhận của Ban Quản lý về vốn đầu tư đã thực hiện trước khi "
        "cho chuyển lợi nhuận về công ty mẹ. Đề nghị hướng dẫn thủ tục xác nhận và rút ngắn thời "
        "gian cấp văn bản.",
        {"procedure": "Xác nhận vốn đầu tư thực hiện"},
    ),
    (
        "Đề nghị hợp nhất hai dự án của cùng nhà đầu tư trên hai lô liền kề",
        "Công ty có hai dự án trên hai lô liền kề trong {zone_s} với cùng mục tiêu sản xuất. Để "
        "thuận lợi quản lý, báo cáo và kế toán, doanh nghiệp đề nghị được hợp nhất hai dự án vào "
        "một giấy chứng nhận đăng ký đầu tư.",
        {"procedure": "Điều chỉnh dự án đầu tư"},
    ),
    (
        "Thông tin dự án trên hệ thống quốc gia chưa được cập nhật sau điều chỉnh",
        "Sau khi được điều chỉnh giấy chứng nhận đăng ký đầu tư {date}, thông tin dự án trên "
        "Hệ thống thông tin quốc gia về đầu tư vẫn hiển thị vốn và tiến độ cũ. Ngân hàng và đối "
        "tác tra cứu thấy sai lệch nên yêu cầu doanh nghiệp giải trình. Đề nghị cập nhật kịp thời.",
        {"procedure": "Điều chỉnh giấy chứng nhận đăng ký đầu tư"},
    ),
    (
        "Đề nghị không chấm dứt hoạt động dự án chậm tiến độ góp vốn",
        "Công ty nhận văn bản về việc xem xét chấm dứt hoạt động dự án do chậm tiến độ góp vốn. "
        "Thực tế doanh nghiệp đã giải ngân {amount} tỷ đồng cho nhà xưởng; chậm tiến độ chủ yếu do "
        "chuỗi cung ứng thiết bị bị gián đoạn. Đề nghị cho điều chỉnh tiến độ thay vì chấm dứt dự "
        "án.",
        {"procedure": "Chấm dứt hoạt động dự án đầu tư", "urgent": True, "risk": True},
    ),
    (
        "Thay đổi nhà đầu tư do tái cấu trúc trong tập đoàn",
        "Tập đoàn mẹ tại {country} tái cấu trúc, chuyển quyền sở hữu công ty sang một pháp nhân "
        "khác trong cùng tập đoàn. Đề nghị hướng dẫn việc thay đổi nhà đầu tư có phải điều chỉnh "
        "giấy chứng nhận đăng ký đầu tư không, hồ sơ và thời gian giải quyết.",
        {"procedure": "Điều chỉnh giấy chứng nhận đăng ký đầu tư"},
    ),
    (
        "Thời hạn hoạt động dự án không khớp thời hạn thuê lại đất",
        "Giấy chứng nhận đăng ký đầu tư ghi thời hạn hoạt động dự án dài hơn thời hạn hợp đồng "
        "thuê lại đất với doanh nghiệp hạ tầng khoảng {n} năm. Ngân hàng yêu cầu làm rõ trước khi "
        "giải ngân khoản vay. Đề nghị hướng dẫn điều chỉnh để hai thời hạn thống nhất.",
        {"procedure": "Điều chỉnh giấy chứng nhận đăng ký đầu tư"},
    ),
)

# --- tax ---------------------------------------------------------------------------------------

TAX = _bank(
    "tax",
    (
        "Chậm hoàn thuế GTGT đầu vào của dự án đầu tư",
        "Công ty nộp hồ sơ đề nghị hoàn thuế giá trị gia tăng của dự án đầu tư, số tiền {amount_s} "
        "tỷ đồng, từ {date}. Hồ sơ thuộc diện kiểm tra trước, hoàn thuế sau và đã quá thời hạn "
        "nhưng chưa có quyết định hoàn. Dòng tiền của doanh nghiệp rất khó khăn vì đang phải thanh "
        "toán tiền máy móc, thiết bị. Đề nghị cơ quan thuế giải quyết hoàn thuế đúng hạn.",
        {"procedure": "Hoàn thuế GTGT", "risk": True},
    ),
    (
        "Ưu đãi thuế TNDN cho dự án công nghệ cao đầu tư mở rộng",
        "Dự án mở rộng của công ty đáp ứng tiêu chí ứng dụng công nghệ cao. Cơ quan thuế cho rằng "
        "thu nhập từ dự án mở rộng không được áp dụng thuế suất ưu đãi 10% mà chỉ được miễn, giảm "
        "có thời hạn. Đề nghị hướng dẫn thống nhất cách xác định ưu đãi thuế thu nhập doanh nghiệp "
        "cho dự án đầu tư mở rộng.",
        {"procedure": "Ưu đãi thuế thu nhập doanh nghiệp"},
    ),
    (
        "Thời điểm bắt đầu tính miễn thuế 4 năm, giảm 50% trong 9 năm",
        "Công ty có doanh thu từ sản xuất thử trong năm đầu nhưng chưa có thu nhập chịu thuế. Đề "
        "nghị cơ quan thuế hướng dẫn thời điểm bắt đầu tính thời gian miễn thuế 4 năm, giảm 50% "
        "số thuế phải nộp trong 9 năm tiếp theo, tránh bị truy thu khi quyết toán.",
        {"procedure": "Ưu đãi thuế thu nhập doanh nghiệp"},
    ),
    (
        "Thuế tối thiểu toàn cầu làm giảm ý nghĩa ưu đãi thuế đã cam kết",
        "Công ty là thành viên tập đoàn đa quốc gia có doanh thu trên 750 triệu euro, thuộc đối "
        "tượng nộp thuế thu nhập doanh nghiệp bổ sung theo quy định về thuế tối thiểu toàn cầu. "
        "Ưu đãi thuế cam kết khi cấp phép gần như không còn ý nghĩa. Đề nghị hướng dẫn kê khai "
        "thuế bổ sung và sớm có các biện pháp hỗ trợ đầu tư thay thế.",
        {"procedure": "Kê khai thuế TNDN bổ sung"},
    ),
    (
        "Bị tính tiền chậm nộp do sự cố hệ thống hóa đơn điện tử",
        "Trong {month}, hệ thống của nhà cung cấp dịch vụ hóa đơn điện tử gặp sự cố khiến hóa đơn "
        "của công ty không được cấp mã kịp thời; doanh nghiệp bị tính tiền chậm nộp và bị cảnh báo "
        "rủi ro. Đề nghị cơ quan thuế xem xét không tính tiền chậm nộp do nguyên nhân khách quan.",
        {"procedure": "Hóa đơn điện tử"},
    ),
    (
        "Thuế nhà thầu nước ngoài với bản quyền phần mềm kèm dịch vụ",
        "Công ty mua bản quyền phần mềm thiết kế kèm dịch vụ hỗ trợ kỹ thuật của nhà cung cấp nước "
        "ngoài, trị giá {usd_k} nghìn USD. Cách tách phần bản quyền và phần dịch vụ để tính thuế nhà "
        "thầu đang không thống nhất giữa các lần kiểm tra. Đề nghị hướng dẫn cụ thể.",
        {"procedure": "Thuế nhà thầu nước ngoài"},
    ),
    (
        "Thanh tra thuế kéo dài, chưa có kết luận",
        "Đoàn thanh tra thuế làm việc tại công ty từ {date}, đã gia hạn một lần nhưng đến nay chưa "
        "ban hành kết luận. Vì chưa có kết luận, hồ sơ hoàn thuế của doanh nghiệp cũng bị treo. Đề "
        "nghị cơ quan thuế sớm ban hành kết luận thanh tra.",
        {"procedure": "Thanh tra, kiểm tra thuế"},
    ),
    (
        "Quyết toán thuế thu nhập cá nhân cho chuyên gia nước ngoài",
        "Công ty có {experts} chuyên gia nước ngoài làm việc theo nhiệm kỳ, có thu nhập cả ở Việt "
        "Nam và ở nước ngoài. Việc xác định cư trú, quyết toán thuế thu nhập cá nhân và khấu trừ số "
        "thuế đã nộp ở nước ngoài theo hiệp định tránh đánh thuế hai lần còn lúng túng. Đề nghị cơ "
        "quan thuế hướng dẫn thủ tục cụ thể.",
        {"procedure": "Quyết toán thuế TNCN"},
    ),
    (
        "Hồ sơ hoàn thuế bị treo vì nhà cung cấp có dấu hiệu rủi ro",
        "Công ty xuất khẩu khoảng {pct}% sản phẩm nên thường xuyên có thuế GTGT đầu vào chưa khấu "
        "trừ hết. Hồ sơ hoàn thuế gần nhất bị yêu cầu giải trình vì một nhà cung cấp bị đưa vào "
        "diện rủi ro, dù doanh nghiệp đã thanh toán qua ngân hàng đầy đủ. Đề nghị không để doanh "
        "nghiệp mua hàng hợp pháp phải chịu hậu quả từ vi phạm của bên bán.",
        {"procedure": "Hoàn thuế GTGT"},
    ),
    (
        "Thông báo nộp tiền thuê đất chưa áp dụng ưu đãi miễn",
        "Theo quyết định ưu đãi, dự án được miễn tiền thuê đất {n} năm, nhưng thông báo nộp tiền "
        "thuê đất năm nay vẫn tính đủ {amount_s} tỷ đồng. Đề nghị cơ quan thuế rà soát, điều chỉnh "
        "thông báo nộp tiền thuê đất theo đúng ưu đãi đã được cấp.",
        {"procedure": "Miễn, giảm tiền thuê đất"},
    ),
    (
        "Điều kiện ghi nhận chi phí nghiên cứu phát triển được trừ",
        "Công ty chi khoảng {amount_s} tỷ đồng mỗi năm cho nghiên cứu phát triển, gồm lương kỹ sư "
        "và vật tư thử nghiệm. Đề nghị hướng dẫn điều kiện ghi nhận chi phí R&D được trừ khi tính "
        "thuế và việc trích lập quỹ phát triển khoa học và công nghệ để doanh nghiệp yên tâm đầu "
        "tư.",
        {"procedure": "Quỹ phát triển khoa học và công nghệ"},
    ),
    (
        "Giải trình giao dịch liên kết khi mua linh kiện từ công ty mẹ",
        "Công ty mua phần lớn linh kiện từ công ty mẹ và được cơ quan thuế yêu cầu giải trình vì "
        "biên lợi nhuận thấp hơn doanh nghiệp độc lập. Công ty đang trong giai đoạn đầu, công suất "
        "mới đạt {pct}%. Đề nghị hướng dẫn hồ sơ xác định giá giao dịch liên kết phù hợp giai đoạn "
        "đầu tư.",
        {"procedure": "Xác định giá giao dịch liên kết"},
    ),
    (
        "Hồ sơ hoàn thuế dự án bị từ chối vì chưa có giấy phép xây dựng",
        "Hồ sơ hoàn thuế giá trị gia tăng của dự án bị từ chối với lý do dự án chưa có giấy phép "
        "xây dựng, trong khi phần thuế đề nghị hoàn là của máy móc, thiết bị đã nhập về. Đề nghị cơ "
        "quan thuế xem xét hoàn thuế cho phần thiết bị không phụ thuộc vào giấy phép xây dựng.",
        {"procedure": "Hoàn thuế GTGT", "risk": True},
    ),
    (
        "Áp dụng thuế suất GTGT 0% đối với hàng bán cho doanh nghiệp chế xuất",
        "Công ty bán bao bì cho doanh nghiệp chế xuất trong {zone_s} và xuất hóa đơn thuế suất 0%. "
        "Khi kiểm tra, cơ quan thuế yêu cầu chứng minh hàng đã làm thủ tục hải quan, trong khi hai "
        "bên ở cùng khu. Đề nghị hướng dẫn hồ sơ chứng minh để áp dụng thuế suất 0% đúng quy định.",
        {"procedure": "Kê khai thuế GTGT"},
    ),
    (
        "Giảm thuế GTGT 2% áp dụng chưa thống nhất cho cùng mặt hàng",
        "Cùng một mặt hàng linh kiện cơ khí, có đơn vị thuế hướng dẫn được giảm thuế GTGT 2%, có "
        "đơn vị cho rằng không thuộc diện giảm. Doanh nghiệp và khách hàng phải điều chỉnh hóa đơn "
        "nhiều lần. Đề nghị có hướng dẫn thống nhất theo mã ngành, mã hàng hóa.",
        {"procedure": "Kê khai thuế GTGT"},
    ),
    (
        "Ưu đãi thuế cho doanh nghiệp khởi nghiệp sáng tạo",
        "Công ty khởi nghiệp sáng tạo trong lĩnh vực trí tuệ nhân tạo, được ươm tạo tại {zone_s}, "
        "có doanh thu năm đầu khoảng {amount_s} tỷ đồng. Đề nghị hướng dẫn doanh nghiệp có được "
        "hưởng ưu đãi thuế thu nhập doanh nghiệp theo địa bàn khu công nghệ cao hay theo lĩnh vực "
        "phần mềm, và hồ sơ chứng minh.",
        {"procedure": "Ưu đãi thuế thu nhập doanh nghiệp"},
    ),
    (
        "Bị cưỡng chế hóa đơn do nợ thuế của địa chỉ cũ",
        "Sau khi chuyển trụ sở về {zone_s}, công ty bị cưỡng chế ngừng sử dụng hóa đơn vì khoản nợ "
        "thuế phát sinh tại cơ quan thuế quản lý cũ mà doanh nghiệp đã nộp đủ. Không xuất được hóa "
        "đơn, hàng hóa không thể giao cho khách. Đề nghị khẩn trương đối chiếu và gỡ cưỡng chế.",
        {"procedure": "Cưỡng chế nợ thuế", "urgent": True, "risk": True},
    ),
    (
        "Xác nhận hoàn thành nghĩa vụ thuế để chuyển lợi nhuận",
        "Công ty cần xác nhận hoàn thành nghĩa vụ thuế năm tài chính để chuyển lợi nhuận về công ty "
        "mẹ tại {country}. Thời gian xác nhận kéo dài hơn {weeks} tuần do phải đối chiếu nhiều "
        "khoản nhỏ. Đề nghị rút ngắn thời gian và cho phép đối chiếu trực tuyến.",
        {"procedure": "Xác nhận nghĩa vụ thuế"},
    ),
    (
        "Chưa được hướng dẫn kê khai thuế khi chuyển sang mô hình thuế mới của thành phố",
        "Sau khi sắp xếp lại bộ máy quản lý thuế, doanh nghiệp chưa rõ cơ quan thuế quản lý trực "
        "tiếp và đầu mối hỗ trợ của mình. Một số tờ khai gửi đi bị trả về vì sai cơ quan nhận. Đề "
        "nghị thông báo rõ đầu mối quản lý và hỗ trợ doanh nghiệp trong {zone_s}.",
        {"procedure": "Khai thuế"},
    ),
    (
        "Hoàn thuế thu nhập cá nhân nộp thừa của người lao động",
        "Công ty quyết toán thuế thu nhập cá nhân thay cho {workers} người lao động, trong đó nhiều "
        "người có số thuế nộp thừa. Hồ sơ đề nghị hoàn trả đã nộp từ {date} nhưng chưa được giải "
        "quyết, người lao động liên tục hỏi doanh nghiệp. Đề nghị cơ quan thuế xử lý sớm.",
        {"procedure": "Hoàn thuế TNCN"},
    ),
)

# --- customs -----------------------------------------------------------------------------------

CUSTOMS = _bank(
    "customs",
    (
        "Vướng miễn thuế nhập khẩu máy móc tạo tài sản cố định",
        "Công ty nhập khẩu lô máy móc, thiết bị tạo tài sản cố định cho dự án trị giá {usd} triệu "
        "USD và đã thông báo danh mục miễn thuế trên hệ thống. Khi làm thủ tục, cơ quan hải quan "
        "yêu cầu chứng minh thiết bị trong nước chưa sản xuất được. Hàng đang lưu kho bãi, phát "
        "sinh chi phí mỗi ngày. Đề nghị hướng dẫn thống nhất.",
        {"procedure": "Thủ tục hải quan hàng nhập khẩu máy móc, thiết bị", "urgent": True, "risk": True},
    ),
    (
        "Nhập khẩu dây chuyền đã qua sử dụng điều chuyển từ công ty mẹ",
        "Công ty mẹ điều chuyển một dây chuyền đã qua sử dụng {n} năm từ nhà máy tại {country} sang "
        "Việt Nam. Máy móc đã qua sử dụng phải có chứng thư giám định và đáp ứng điều kiện về tuổi "
        "thiết bị. Đề nghị hải quan hướng dẫn hồ sơ và cho phép đưa hàng về bảo quản trong thời "
        "gian chờ giám định.",
        {"procedure": "Nhập khẩu máy móc đã qua sử dụng", "urgent": True},
    ),
    (
        "Tờ khai nhập khẩu linh kiện liên tục bị phân luồng đỏ",
        "Các tờ khai nhập khẩu linh kiện điện tử của công ty liên tục bị phân luồng đỏ, kiểm tra "
        "thực tế dù doanh nghiệp chưa từng vi phạm. Mỗi lô hàng chậm thông quan {days} ngày làm "
        "gián đoạn dây chuyền sản xuất. Đề nghị xem xét lại đánh giá mức độ tuân thủ của doanh "
        "nghiệp.",
        {"procedure": "Thủ tục hải quan hàng nhập khẩu"},
    ),
    (
        "Áp mã HS khác nhau cho cùng một loại linh kiện bán dẫn",
        "Cùng một loại linh kiện bán dẫn, các chi cục hải quan áp mã HS khác nhau dẫn đến thuế "
        "suất khác nhau. Doanh nghiệp đề nghị có văn bản xác định trước mã số hàng hóa để áp dụng "
        "thống nhất ở mọi cửa khẩu.",
        {"procedure": "Xác định trước mã số hàng hóa"},
    ),
    (
        "Kiểm tra chất lượng thiết bị đo lường nhập khẩu trước thông quan kéo dài",
        "Lô thiết bị đo lường nhập khẩu phải kiểm tra chất lượng nhà nước trước thông quan; thời "
        "gian chờ kết quả khoảng {days} ngày trong khi dây chuyền cần thiết bị để hiệu chuẩn. Đề "
        "nghị cho phép đưa hàng về bảo quản hoặc chuyển sang kiểm tra sau thông quan.",
        {"procedure": "Kiểm tra chuyên ngành hàng nhập khẩu"},
    ),
    (
        "Thủ tục xuất nhập khẩu tại chỗ với doanh nghiệp chế xuất trong cùng khu",
        "Công ty là doanh nghiệp chế xuất, mua bán hàng với doanh nghiệp nội địa trong cùng "
        "{zone_s}. Thủ tục xuất nhập khẩu tại chỗ đòi hỏi nhiều chứng từ và hai bên phải mở tờ khai "
        "riêng cho từng lô nhỏ. Đề nghị hướng dẫn đơn giản hóa, cho phép khai gộp theo kỳ.",
        {"procedure": "Xuất nhập khẩu tại chỗ"},
    ),
    (
        "Kiểm tra sau thông quan truy thu thuế vì khác biệt cách hiểu",
        "Đoàn kiểm tra sau thông quan đề nghị truy thu thuế nhập khẩu đối với lô nguyên liệu nhập "
        "từ {date} do cho rằng công ty áp sai ưu đãi. Doanh nghiệp đã thực hiện theo hướng dẫn "
        "bằng văn bản của chi cục hải quan thời điểm đó. Đề nghị xem xét không truy thu và không "
        "xử phạt.",
        {"procedure": "Kiểm tra sau thông quan"},
    ),
    (
        "Tạm nhập tái xuất mẫu thử phục vụ nghiên cứu",
        "Trung tâm nghiên cứu của công ty thường xuyên tạm nhập thiết bị, mẫu thử để thử nghiệm rồi "
        "tái xuất về công ty mẹ. Thủ tục tạm nhập tái xuất và gia hạn thời hạn tạm nhập phức tạp, "
        "mỗi lần mất {days} ngày. Đề nghị có cơ chế riêng cho hàng phục vụ nghiên cứu và phát "
        "triển.",
        {"procedure": "Tạm nhập tái xuất"},
    ),
    (
        "Báo cáo quyết toán nguyên liệu sản xuất xuất khẩu bị yêu cầu giải trình",
        "Báo cáo quyết toán nguyên liệu, vật tư nhập khẩu để sản xuất hàng xuất khẩu của công ty có "
        "chênh lệch nhỏ do định mức hao hụt thực tế. Hải quan yêu cầu giải trình và có thể ấn định "
        "thuế. Đề nghị hướng dẫn cách xây dựng và thông báo định mức để tránh chênh lệch.",
        {"procedure": "Quyết toán hợp đồng gia công, sản xuất xuất khẩu"},
    ),
    (
        "Nhập khẩu hóa chất dùng trong sản xuất bán dẫn cần giấy phép",
        "Một số hóa chất dùng để làm sạch tấm bán dẫn thuộc danh mục phải có giấy phép trước khi "
        "nhập khẩu. Hàng đã về cảng hàng không nhưng chưa đủ hồ sơ để thông quan. Đề nghị cơ quan "
        "hải quan và cơ quan cấp phép phối hợp hướng dẫn, cho phép đưa hàng về kho bảo quản an "
        "toàn.",
        {"procedure": "Thủ tục hải quan hàng nhập khẩu", "urgent": True},
    ),
    (
        "Làm thủ tục hải quan ngoài giờ cho hàng hàng không đến cuối tuần",
        "Hàng linh kiện của công ty vận chuyển bằng đường hàng không về sân bay Nội Bài, thường đến "
        "vào tối thứ Sáu. Việc chưa bố trí làm thủ tục ngoài giờ khiến hàng phải nằm kho đến sáng "
        "thứ Hai, dây chuyền thiếu nguyên liệu. Đề nghị hải quan bố trí làm thủ tục cả ngày nghỉ "
        "cho doanh nghiệp sản xuất liên tục.",
        {"procedure": "Thủ tục hải quan hàng nhập khẩu"},
    ),
    (
        "Hoàn thuế nhập khẩu nguyên liệu đã đưa vào sản xuất hàng xuất khẩu",
        "Công ty đã nộp thuế nhập khẩu cho lô nguyên liệu, sau đó sản phẩm được xuất khẩu toàn bộ. "
        "Hồ sơ đề nghị hoàn thuế nhập khẩu nộp từ {date} nhưng bị yêu cầu bổ sung chứng từ thanh "
        "toán nhiều lần. Đề nghị cơ quan hải quan giải quyết hoàn thuế đúng hạn.",
        {"procedure": "Hoàn thuế nhập khẩu"},
    ),
    (
        "Kiểm tra cơ sở sản xuất trước khi nhập nguyên liệu",
        "Công ty mới đưa nhà máy vào hoạt động, cần nhập nguyên liệu để sản xuất xuất khẩu nhưng "
        "phải chờ hải quan kiểm tra cơ sở sản xuất. Lịch kiểm tra chưa được xác định, trong khi "
        "đơn hàng đầu tiên phải giao trước {date2}. Đề nghị bố trí kiểm tra sớm.",
        {"procedure": "Kiểm tra cơ sở sản xuất", "urgent": True},
    ),
    (
        "Đề nghị địa điểm kiểm tra hàng hóa tập trung ngay trong khu",
        "Hàng nhập khẩu của các doanh nghiệp trong {zone_s} phải đưa về cảng cạn hoặc địa điểm "
        "kiểm tra ở xa để làm thủ tục, mất thêm thời gian và chi phí vận chuyển. Đề nghị nghiên cứu "
        "thành lập địa điểm làm thủ tục hải quan, kiểm tra hàng hóa tập trung ngay trong khu.",
        {"procedure": "Địa điểm kiểm tra hàng hóa"},
    ),
    (
        "Chứng nhận xuất xứ ưu đãi bị từ chối vì lỗi kỹ thuật",
        "Lô hàng nhập từ {country} có chứng nhận xuất xứ theo hiệp định thương mại tự do nhưng bị "
        "từ chối ưu đãi vì lỗi đánh máy ở mô tả hàng hóa. Doanh nghiệp phải nộp thuế theo mức "
        "thông thường. Đề nghị chấp nhận chứng nhận xuất xứ khi lỗi không làm thay đổi bản chất "
        "hàng hóa.",
        {"procedure": "Kiểm tra xuất xứ hàng hóa"},
    ),
    (
        "Thanh lý máy móc miễn thuế đã hết khấu hao",
        "Công ty có {n} máy móc nhập khẩu miễn thuế tạo tài sản cố định đã hết khấu hao, cần thanh "
        "lý để thay thế thiết bị mới. Đề nghị hướng dẫn thủ tục thanh lý, việc kê khai lại thuế "
        "và trường hợp tiêu hủy hay bán phế liệu.",
        {"procedure": "Thanh lý hàng miễn thuế"},
    ),
    (
        "Đề nghị hỗ trợ để được công nhận doanh nghiệp ưu tiên về hải quan",
        "Công ty có kim ngạch xuất nhập khẩu lớn, chưa từng vi phạm pháp luật hải quan và muốn đăng "
        "ký công nhận doanh nghiệp ưu tiên. Đề nghị cơ quan hải quan hướng dẫn điều kiện, đánh giá "
        "sơ bộ hồ sơ để doanh nghiệp chuẩn bị.",
        {"procedure": "Công nhận doanh nghiệp ưu tiên"},
    ),
    (
        "Thay đổi mục đích sử dụng thiết bị đã được miễn thuế nhập khẩu",
        "Một số thiết bị phòng thí nghiệm nhập khẩu miễn thuế cho dự án nay được điều chuyển sang "
        "công ty liên kết trong cùng {zone_s} để dùng chung. Đề nghị hướng dẫn thủ tục khai báo "
        "thay đổi mục đích sử dụng và nghĩa vụ thuế phát sinh nếu có.",
        {"procedure": "Thay đổi mục đích sử dụng hàng miễn thuế"},
    ),
)

# --- labour and work permits for foreign experts -----------------------------------------------

LABOUR = _bank(
    "labour",
    (
        "Chậm cấp giấy phép lao động cho kỹ sư nước ngoài lắp đặt dây chuyền",
        "Công ty cần đưa {experts} kỹ sư người {country} sang lắp đặt và vận hành dây chuyền mới. "
        "Hồ sơ đề nghị cấp giấy phép lao động nộp từ {date} nhưng bị yêu cầu bổ sung văn bản xác "
        "nhận kinh nghiệm đã hợp pháp hóa lãnh sự. Nếu chuyên gia không sang kịp, lịch chạy thử "
        "dây chuyền lùi ít nhất {weeks} tuần. Đề nghị xem xét giải quyết nhanh.",
        {"procedure": "Cấp giấy phép lao động cho người nước ngoài", "urgent": True, "risk": True},
    ),
    (
        "Kỹ sư bảo hành sang nhiều lần trong năm có phải xin giấy phép lao động",
        "Kỹ sư của nhà cung cấp thiết bị từ {country} sang bảo hành máy móc, mỗi lần dưới 30 ngày "
        "nhưng nhiều lần trong năm. Đề nghị hướng dẫn trường hợp này có phải xác nhận không thuộc "
        "diện cấp giấy phép lao động không và cách cộng dồn thời gian làm việc.",
        {"procedure": "Xác nhận không thuộc diện cấp giấy phép lao động"},
    ),
    (
        "Báo cáo giải trình nhu cầu sử dụng lao động nước ngoài chưa được chấp thuận",
        "Công ty đã gửi báo cáo giải trình nhu cầu sử dụng {experts} lao động nước ngoài cho các vị "
        "trí quản lý và chuyên gia từ {date} nhưng chưa có văn bản chấp thuận. Không có văn bản "
        "này, doanh nghiệp không thể nộp hồ sơ xin giấy phép lao động. Đề nghị Sở xem xét sớm.",
        {"procedure": "Chấp thuận nhu cầu sử dụng lao động nước ngoài"},
    ),
    (
        "Gia hạn giấy phép lao động cho chuyên gia sắp hết hạn",
        "Giấy phép lao động của giám đốc nhà máy người {country} hết hạn vào {date2}. Hồ sơ gia "
        "hạn đã nộp đúng thời hạn nhưng chưa có kết quả. Nếu quá hạn, chuyên gia phải xuất cảnh, "
        "ảnh hưởng đến điều hành sản xuất. Đề nghị giải quyết trước ngày hết hạn.",
        {"procedure": "Gia hạn giấy phép lao động", "urgent": True},
    ),
    (
        "Thiếu kỹ thuật viên vận hành máy CNC và kỹ sư tự động hóa",
        "Doanh nghiệp cần tuyển thêm {workers} kỹ thuật viên vận hành máy CNC và kỹ sư tự động hóa "
        "nhưng nguồn lao động ở {locality} và vùng lân cận khan hiếm. Đề nghị thành phố kết nối "
        "các trường đại học, cao đẳng nghề, tổ chức đặt hàng đào tạo và hỗ trợ doanh nghiệp tuyển "
        "dụng.",
        {"procedure": "Hỗ trợ tuyển dụng, đào tạo nghề"},
    ),
    (
        "Bằng cấp của chuyên gia không trùng chuyên ngành vị trí công việc",
        "Chuyên gia người {country} có 15 năm kinh nghiệm vận hành phòng sạch nhưng bằng đại học là "
        "ngành hóa học, không trùng tên vị trí công việc. Hồ sơ giấy phép lao động bị yêu cầu bổ "
        "sung chứng minh. Đề nghị hướng dẫn chấp nhận kinh nghiệm thực tế khi xét điều kiện chuyên "
        "gia.",
        {"procedure": "Cấp giấy phép lao động cho người nước ngoài"},
    ),
    (
        "Công nhân ngừng việc tập thể đòi tăng phụ cấp",
        "Từ sáng {date}, khoảng {workers} công nhân ngừng việc tập thể, yêu cầu tăng phụ cấp đi lại "
        "và tiền ăn ca. Công ty đã đối thoại nhưng chưa thống nhất, một số dây chuyền phải dừng. Đề "
        "nghị cơ quan quản lý lao động và công đoàn cấp trên hỗ trợ hòa giải kịp thời.",
        {"procedure": "Giải quyết tranh chấp lao động tập thể", "urgent": True, "stop": True},
    ),
    (
        "Đóng bảo hiểm xã hội bắt buộc cho lao động nước ngoài",
        "Công ty có {experts} lao động nước ngoài theo hình thức di chuyển nội bộ doanh nghiệp. Quy "
        "định về đối tượng đóng bảo hiểm xã hội bắt buộc cho trường hợp này chưa rõ, mỗi nơi hướng "
        "dẫn một cách. Đề nghị có hướng dẫn thống nhất.",
        {"procedure": "Bảo hiểm xã hội cho người nước ngoài"},
    ),
    (
        "Hỗ trợ đào tạo lại lao động khi chuyển đổi dây chuyền tự động",
        "Công ty đầu tư dây chuyền tự động hóa, dự kiến {workers} công nhân cần đào tạo lại để "
        "chuyển sang vị trí mới thay vì cho nghỉ việc. Đề nghị thành phố hướng dẫn chính sách hỗ "
        "trợ đào tạo, bồi dưỡng nâng cao trình độ kỹ năng nghề để duy trì việc làm.",
        {"procedure": "Hỗ trợ đào tạo duy trì việc làm"},
    ),
    (
        "Làm thêm giờ vượt mức trong mùa cao điểm đơn hàng",
        "Vào mùa cao điểm đơn hàng cuối năm, doanh nghiệp cần tổ chức làm thêm giờ vượt mức thông "
        "thường trong khoảng {weeks} tuần. Đề nghị hướng dẫn thủ tục thông báo, điều kiện tổ chức "
        "làm thêm đến 300 giờ/năm và chế độ cho người lao động.",
        {"procedure": "Thông báo tổ chức làm thêm giờ"},
    ),
    (
        "Thẻ tạm trú cho chuyên gia sau khi đã có giấy phép lao động",
        "Sau khi có giấy phép lao động, {experts} chuyên gia của công ty nộp hồ sơ cấp thẻ tạm trú "
        "nhưng bị yêu cầu thêm xác nhận của doanh nghiệp về nơi ở. Gia đình chuyên gia chưa thể "
        "làm thủ tục cho con nhập học. Đề nghị các cơ quan liên quan liên thông để rút ngắn thời "
        "gian.",
        {"procedure": "Cấp thẻ tạm trú cho người nước ngoài"},
    ),
    (
        "Lý lịch tư pháp của chuyên gia phải hợp pháp hóa lãnh sự",
        "Phiếu lý lịch tư pháp của các chuyên gia từ {country} phải hợp pháp hóa lãnh sự, mất "
        "khoảng {weeks} tuần, trong khi phiếu chỉ có giá trị trong thời gian ngắn. Đề nghị chấp nhận "
        "lý lịch tư pháp điện tử có mã xác thực hoặc kéo dài thời hạn sử dụng.",
        {"procedure": "Cấp giấy phép lao động cho người nước ngoài"},
    ),
    (
        "Phương án sử dụng lao động khi phải cắt giảm do đơn hàng giảm",
        "Đơn hàng giảm mạnh, công ty buộc phải cắt giảm khoảng {workers} lao động. Đề nghị hướng "
        "dẫn trình tự xây dựng phương án sử dụng lao động, trao đổi với tổ chức đại diện người lao "
        "động, chế độ trợ cấp và hỗ trợ người lao động tìm việc mới.",
        {"procedure": "Phương án sử dụng lao động"},
    ),
    (
        "Huấn luyện an toàn, vệ sinh lao động cho công nhân mới",
        "Mỗi tháng công ty tuyển mới khoảng {workers} công nhân và phải tổ chức huấn luyện an toàn, "
        "vệ sinh lao động. Tổ chức huấn luyện đủ điều kiện ở gần rất ít, lịch kín. Đề nghị cho phép "
        "doanh nghiệp tự huấn luyện một số nhóm đối tượng và hướng dẫn điều kiện.",
        {"procedure": "Huấn luyện an toàn, vệ sinh lao động"},
    ),
    (
        "Điều tra tai nạn lao động kéo dài",
        "Vào {date}, một công nhân bị thương khi vận hành máy ép. Công ty đã khai báo và phối hợp "
        "điều tra, nhưng biên bản điều tra chưa được ban hành nên chưa giải quyết được chế độ cho "
        "người lao động. Đề nghị đoàn điều tra sớm kết luận.",
        {"procedure": "Điều tra tai nạn lao động"},
    ),
    (
        "Giấy phép lao động cho nhà quản lý di chuyển nội bộ doanh nghiệp",
        "Tập đoàn cử {experts} nhà quản lý từ công ty mẹ tại {country} sang làm việc có thời hạn. "
        "Cơ quan tiếp nhận hồ sơ yêu cầu chứng minh đã làm việc cho tập đoàn ít nhất 12 tháng bằng "
        "hợp đồng gốc hợp pháp hóa. Đề nghị chấp nhận xác nhận của công ty mẹ để thủ tục nhanh "
        "hơn.",
        {"procedure": "Cấp giấy phép lao động cho người nước ngoài"},
    ),
    (
        "Mức lương tối thiểu vùng thay đổi sau sắp xếp đơn vị hành chính",
        "Sau sắp xếp đơn vị hành chính, nhà máy ở {commune} được xếp vào vùng lương tối thiểu khác "
        "trước. Doanh nghiệp chưa rõ áp dụng từ thời điểm nào và có phải điều chỉnh thang bảng "
        "lương, hợp đồng lao động đã ký hay không. Đề nghị hướng dẫn cụ thể.",
        {"procedure": "Áp dụng lương tối thiểu vùng"},
    ),
    (
        "Tuyển sinh viên quốc tế thực tập tại trung tâm nghiên cứu",
        "Trung tâm nghiên cứu của công ty muốn nhận {experts} sinh viên quốc tế thực tập 6 tháng. "
        "Đề nghị hướng dẫn trường hợp thực tập sinh có phải xin giấy phép lao động, loại thị thực "
        "phù hợp và thủ tục bảo lãnh.",
        {"procedure": "Xác nhận không thuộc diện cấp giấy phép lao động"},
    ),
    (
        "Đăng ký nội quy lao động sau khi thay đổi ca làm việc",
        "Công ty chuyển từ hai ca sang ba ca để vận hành liên tục, cần đăng ký lại nội quy lao "
        "động. Hồ sơ nộp từ {date} chưa có phản hồi, trong khi ca mới dự kiến bắt đầu từ {date2}. "
        "Đề nghị xem xét sớm.",
        {"procedure": "Đăng ký nội quy lao động"},
    ),
    (
        "Cấp lại giấy phép lao động khi chuyên gia đổi vị trí trong công ty",
        "Chuyên gia người {country} được bổ nhiệm từ trưởng phòng kỹ thuật lên phó giám đốc nhà "
        "máy. Công ty chưa rõ phải cấp lại giấy phép lao động hay chỉ cần thông báo thay đổi chức "
        "danh. Đề nghị hướng dẫn để tránh vi phạm.",
        {"procedure": "Cấp lại giấy phép lao động"},
    ),
)

# --- infrastructure (sub: power -> EVN; utility: water, drainage, roads, transport, telecom) ----

INFRASTRUCTURE = _bank(
    "infrastructure",
    (
        "Mất điện lưới 22kV khiến nhà máy dừng sản xuất",
        "Khoảng {hour} {date}, tuyến 22kV cấp điện cho nhà máy gặp sự cố, mất điện kéo dài "
        "{hours} giờ. Toàn bộ dây chuyền dừng đột ngột, {workers} công nhân phải nghỉ việc, một số "
        "mẻ sản phẩm trong lò bị hỏng. Đây là lần thứ {n} trong tháng. Đề nghị ngành điện khẩn "
        "trương xác định nguyên nhân và có phương án cấp điện dự phòng.",
        {"procedure": "Cung cấp điện", "urgent": True, "stop": True, "sub": "power"},
    ),
    (
        "Trạm biến áp mới chưa được đấu nối vì tuyến 22kV đầy tải",
        "Công ty đã xây xong trạm biến áp {kva} kVA cho nhà xưởng mới và đề nghị đấu nối vào lưới "
        "22kV từ {date}. Đơn vị điện lực trả lời tuyến hiện hữu đã đầy tải, phải chờ xây dựng lộ "
        "mới từ {substation}. Đề nghị cho biết tiến độ cụ thể và có giải pháp cấp điện tạm.",
        {"procedure": "Đấu nối lưới điện trung áp", "risk": True, "sub": "power"},
    ),
    (
        "Cần công suất lớn, phải đấu nối lưới 110kV",
        "Dự án giai đoạn 2 cần công suất khoảng {mw} MW, phải đấu nối lưới 110kV. {substation} "
        "chưa được nâng công suất theo quy hoạch phát triển điện lực. Đề nghị ngành điện cho biết "
        "tiến độ đầu tư, vị trí ngăn lộ và phương án đấu nối để doanh nghiệp quyết định đầu tư.",
        {"procedure": "Đấu nối lưới điện 110kV", "risk": True, "sub": "power"},
    ),
    (
        "Điện áp dao động, sụt áp làm hỏng thiết bị",
        "Thời gian gần đây điện áp tại nhà máy thường xuyên dao động, sụt áp ngắn vào giờ cao "
        "điểm. Nhiều bộ biến tần và thiết bị đo lường bị lỗi, tổng thiệt hại khoảng {amount_s} tỷ "
        "đồng. Đề nghị điện lực kiểm tra chất lượng điện năng trên tuyến và khắc phục.",
        {"procedure": "Cung cấp điện", "sub": "power"},
    ),
    (
        "Cắt điện bảo dưỡng không được báo trước đủ thời gian",
        "Vào {date}, điện lực cắt điện bảo dưỡng đường dây mà doanh nghiệp chỉ nhận được thông "
        "báo trước một ngày, không đủ để điều chỉnh kế hoạch sản xuất ba ca. Đề nghị thông báo lịch "
        "ngừng cấp điện trước ít nhất 5 ngày và phối hợp chọn thời điểm phù hợp với doanh nghiệp.",
        {"procedure": "Cung cấp điện", "sub": "power"},
    ),
    (
        "Lắp điện mặt trời mái nhà để tự sản xuất, tự tiêu thụ",
        "Công ty muốn lắp điện mặt trời mái nhà khoảng {kwp} kWp trên mái nhà xưởng để tự sản xuất, "
        "tự tiêu thụ, có thể phát một phần lên lưới. Đề nghị ngành điện hướng dẫn thủ tục đăng ký, "
        "yêu cầu kỹ thuật đấu nối và thiết bị chống phát ngược.",
        {"procedure": "Đăng ký điện mặt trời mái nhà", "sub": "power"},
    ),
    (
        "Doanh nghiệp phải tự bỏ chi phí xây đường dây đấu nối",
        "Để có điện cho nhà máy, công ty được yêu cầu tự đầu tư khoảng {n} km đường dây trung áp "
        "từ điểm đấu nối về trạm biến áp của mình, chi phí {amount_s} tỷ đồng. Đề nghị làm rõ ranh "
        "giới đầu tư giữa ngành điện và khách hàng, xem xét hoàn trả chi phí khi tài sản được bàn "
        "giao.",
        {"procedure": "Đấu nối lưới điện trung áp", "sub": "power"},
    ),
    (
        "Đề nghị cấp điện hai nguồn cho nhà máy sản xuất liên tục",
        "Nhà máy sản xuất linh kiện bán dẫn của công ty không được phép mất điện dù vài giây. Hiện "
        "nhà máy chỉ có một lộ cấp điện 22kV. Đề nghị ngành điện nghiên cứu cấp điện mạch vòng từ "
        "hai nguồn độc lập, doanh nghiệp sẵn sàng chia sẻ chi phí.",
        {"procedure": "Cung cấp điện", "sub": "power"},
    ),
    (
        "Hóa đơn tiền điện bị tính thêm tiền mua công suất phản kháng",
        "Hóa đơn tiền điện {month} của công ty bị tính thêm tiền mua công suất phản kháng dù tủ bù "
        "vẫn hoạt động bình thường. Đề nghị điện lực kiểm tra lại công tơ, số liệu hệ số công suất "
        "và điều chỉnh hóa đơn nếu có sai sót.",
        {"procedure": "Mua bán điện", "sub": "power"},
    ),
    (
        "Cột điện trung thế nằm giữa lối vào nhà máy",
        "Một cột điện trung thế của ngành điện nằm ngay lối vào dự kiến của nhà máy trên {road}. "
        "Xe container không thể ra vào nếu giữ nguyên vị trí. Đề nghị điện lực xem xét dịch chuyển "
        "cột, doanh nghiệp sẵn sàng chi trả chi phí theo quy định.",
        {"procedure": "Di dời công trình điện", "sub": "power"},
    ),
    (
        "Mất điện nhiều lần do cây đổ, diều mắc vào đường dây",
        "Trong tháng qua, nhà máy bị mất điện {n} lần, mỗi lần từ 30 phút đến vài giờ; nguyên nhân "
        "được cho là cây đổ và diều mắc vào đường dây dọc {road}. Đề nghị ngành điện tăng cường "
        "kiểm tra, phát quang hành lang tuyến và sớm hạ ngầm đoạn qua khu dân cư.",
        {"procedure": "Cung cấp điện", "urgent": True, "sub": "power"},
    ),
    (
        "Áp lực nước sạch yếu vào giờ cao điểm",
        "Vào giờ cao điểm sáng và chiều, áp lực nước sạch cấp vào nhà máy rất yếu, bể chứa không "
        "được bổ sung kịp cho dây chuyền làm mát và khu nhà ăn {workers} suất. Đề nghị đơn vị cấp "
        "nước từ {water_plant} kiểm tra mạng lưới và bảo đảm áp lực theo hợp đồng.",
        {"procedure": "Cấp nước sạch", "sub": "utility"},
    ),
    (
        "Chưa có tuyến ống cấp nước đến lô đất",
        "Lô {plot} đã được bàn giao nhưng tuyến ống cấp nước của khu chưa kéo đến, điểm đấu nối "
        "gần nhất cách khoảng {n}00 m. Doanh nghiệp phải tạm khoan giếng và mua nước chở bằng xe "
        "bồn. Đề nghị cho biết tiến độ đầu tư tuyến ống và hướng dẫn đấu nối.",
        {"procedure": "Đấu nối cấp nước", "sub": "utility"},
    ),
    (
        "Ngập sâu trước cổng nhà máy mỗi khi mưa lớn",
        "Trận mưa lớn {date} khiến đoạn {road} trước cổng nhà máy ngập sâu khoảng {cm} cm, "
        "nước tràn vào kho thành phẩm, xe giao hàng không ra vào được. Hệ thống thoát nước mưa khu "
        "vực chưa hoàn thiện và cống bị bồi lấp. Đề nghị nạo vét, hoàn thiện hệ thống thoát nước "
        "trước mùa mưa.",
        {"procedure": "Thoát nước mưa", "urgent": True, "sub": "utility"},
    ),
    (
        "Trạm xử lý nước thải tập trung chưa đủ công suất tiếp nhận",
        "Công ty mở rộng sản xuất, lưu lượng nước thải tăng thêm khoảng {n}0 m³/ngày đêm, nhưng "
        "trạm xử lý nước thải tập trung của khu đang gần đầy công suất và chưa đồng ý tiếp nhận "
        "thêm. Đề nghị cho biết kế hoạch nâng công suất trạm xử lý và giải pháp trong thời gian "
        "chờ.",
        {"procedure": "Đấu nối thoát nước thải", "sub": "utility"},
    ),
    (
        "Chất lượng nước sạch không ổn định, có cặn",
        "Nước sạch cấp cho nhà máy thời gian gần đây có cặn và độ đục tăng, làm tắc bộ lọc của hệ "
        "thống nước siêu sạch dùng trong sản xuất. Đề nghị đơn vị cấp nước kiểm tra chất lượng, "
        "súc xả đường ống và thông báo kết quả cho doanh nghiệp.",
        {"procedure": "Cấp nước sạch", "sub": "utility"},
    ),
    (
        "Đường nội khu vào lô {plot} xuống cấp nghiêm trọng",
        "Tuyến đường nội khu dẫn vào lô {plot} xuống cấp, nhiều ổ gà sâu, mặt đường bong tróc sau "
        "mùa mưa. Xe container chở hàng đi lại khó khăn, đã xảy ra va quệt. Đề nghị sớm sửa chữa, "
        "thảm lại mặt đường và bổ sung biển báo.",
        {"procedure": "Duy tu hạ tầng giao thông", "sub": "utility"},
    ),
    (
        "Thiếu đèn chiếu sáng trên tuyến đường từ cổng khu đến nhà máy",
        "Đoạn đường từ cổng khu đến nhà máy dài khoảng {n}00 m không có đèn chiếu sáng, công nhân "
        "tan ca đêm đi xe máy rất nguy hiểm. Đề nghị lắp đặt hệ thống chiếu sáng công cộng trên "
        "tuyến này.",
        {"procedure": "Chiếu sáng công cộng", "sub": "utility"},
    ),
    (
        "Tuyến xe buýt đến {zone_s} quá ít chuyến",
        "Hằng ngày khoảng {workers} cán bộ, kỹ sư của công ty đi lại từ {hub} đến {zone_s}, mất "
        "khoảng {mins} phút mỗi chiều. Các tuyến xe buýt hiện có ít chuyến, giãn cách dài và không "
        "khớp giờ tan ca. Đề nghị tăng tần suất, bố trí thêm tuyến kết nối nhanh vào giờ cao điểm.",
        {"procedure": "Vận tải hành khách công cộng", "sub": "utility"},
    ),
    (
        "Đề nghị tuyến xe buýt phục vụ công nhân ca đêm",
        "Công ty làm việc ba ca, ca đêm kết thúc lúc 6 giờ sáng và ca chiều kết thúc lúc 22 giờ, "
        "khi xe buýt đã ngừng chạy. Phần lớn công nhân ở {commune} và các xã lân cận. Đề nghị mở "
        "tuyến buýt hoặc cho phép các doanh nghiệp góp chung xe đưa đón theo giờ ca.",
        {"procedure": "Vận tải hành khách công cộng", "sub": "utility"},
    ),
    (
        "Nút giao ra vào khu trên {road} chưa có đèn tín hiệu",
        "Nút giao từ {road} vào {zone_s} có lưu lượng xe tải và xe máy của công nhân rất lớn vào giờ "
        "tan ca nhưng chưa có đèn tín hiệu, thường xuyên ùn tắc và xảy ra va chạm. Đề nghị tổ chức "
        "lại giao thông, lắp đèn tín hiệu và làn rẽ.",
        {"procedure": "Tổ chức giao thông", "sub": "utility"},
    ),
    (
        "Chỉ có một nhà mạng kéo cáp quang đến lô đất",
        "Hiện chỉ có một nhà mạng kéo cáp quang đến lô {plot}, giá thuê kênh riêng cao và không có "
        "đường truyền dự phòng. Trung tâm dữ liệu của công ty cần hai tuyến cáp quang độc lập. Đề "
        "nghị tạo điều kiện để các doanh nghiệp viễn thông khác đầu tư hạ tầng cáp quang vào khu.",
        {"procedure": "Hạ tầng viễn thông", "sub": "utility"},
    ),
    (
        "Sóng di động yếu trong khu nhà xưởng",
        "Sóng điện thoại di động và dữ liệu 4G/5G trong khu vực nhà xưởng rất yếu, nhiều lúc không "
        "gọi được, ảnh hưởng đến liên lạc với khách hàng và hệ thống quản lý kho. Đề nghị các nhà "
        "mạng bổ sung trạm phát sóng trong {zone_s}.",
        {"procedure": "Hạ tầng viễn thông", "sub": "utility"},
    ),
    (
        "Hạ ngầm cáp viễn thông treo chằng chịt trên {road}",
        "Cáp viễn thông treo chằng chịt trên cột dọc {road}, nhiều đoạn võng thấp, xe tải cao đi "
        "qua thường kéo đứt làm mất kết nối internet của doanh nghiệp. Đề nghị yêu cầu các nhà "
        "mạng chỉnh trang, hạ ngầm cáp vào hệ thống hào kỹ thuật của khu.",
        {"procedure": "Hạ tầng viễn thông", "sub": "utility"},
    ),
    (
        "Đường gom và vỉa hè trước lô đất chưa hoàn thiện",
        "Đường gom và vỉa hè trước lô {plot} chưa được hoàn thiện theo quy hoạch, chỉ là nền đất, "
        "mùa mưa lầy lội, mùa khô bụi. Doanh nghiệp không thể làm cổng và tường rào đúng chỉ giới. "
        "Đề nghị cho biết kế hoạch hoàn thiện hạ tầng khu vực.",
        {"procedure": "Đầu tư hạ tầng kỹ thuật", "sub": "utility"},
    ),
    (
        "Đấu nối thoát nước mưa của lô đất vào hệ thống chung",
        "Công ty đã hoàn thành hệ thống thoát nước mưa trong lô {plot} nhưng không tìm được điểm "
        "đấu nối vì hồ sơ hạ tầng của khu không thể hiện vị trí cống chờ. Đề nghị cung cấp bản vẽ "
        "hoàn công hệ thống thoát nước và chỉ định điểm đấu nối.",
        {"procedure": "Đấu nối thoát nước mưa", "sub": "utility"},
    ),
    (
        "Xe tải trọng lớn không được đi qua cầu yếu trên đường vào khu",
        "Cây cầu nhỏ trên tuyến đường vào nhà máy bị cắm biển hạn chế tải trọng, xe chở thiết bị "
        "siêu trọng phải đi vòng thêm {n} km qua khu dân cư. Đề nghị sớm nâng cấp cầu hoặc mở tuyến "
        "đường tạm cho xe tải trọng lớn.",
        {"procedure": "Cấp phép lưu hành xe quá tải", "sub": "utility"},
    ),
    (
        "Tuyến đường kết nối {road} với lô đất chưa được thông xe",
        "Tuyến đường quy hoạch nối {road} với cụm lô phía trong đã thi công từ lâu nhưng còn vướng "
        "một đoạn chưa thông. Xe ra vào nhà máy phải đi đường tạm rất hẹp. Đề nghị cho biết tiến độ "
        "hoàn thành và phân luồng tạm trong thời gian chờ.",
        {"procedure": "Đầu tư hạ tầng kỹ thuật", "sub": "utility"},
    ),
    (
        "Đứt đường ống cấp nước làm gián đoạn sản xuất",
        "Đêm {date}, đường ống cấp nước chính dọc {road} bị vỡ khi một đơn vị thi công đào đường. "
        "Nhà máy mất nước {hours} giờ, dây chuyền làm mát phải dừng, {workers} công nhân tạm nghỉ. "
        "Đề nghị đơn vị cấp nước khẩn trương sửa chữa và có biện pháp phối hợp khi thi công.",
        {"procedure": "Cấp nước sạch", "urgent": True, "stop": True, "sub": "utility"},
    ),
)

# --- environment -------------------------------------------------------------------------------

ENVIRONMENT = _bank(
    "environment",
    (
        "Chậm cấp giấy phép môi trường cho dự án mở rộng",
        "Công ty nộp hồ sơ đề nghị cấp giấy phép môi trường cho dự án mở rộng từ {date}, đã qua "
        "kiểm tra thực tế nhưng chưa có giấy phép. Không có giấy phép, nhà xưởng mới chưa được vận "
        "hành thử nghiệm công trình xử lý chất thải. Đề nghị cơ quan môi trường sớm cấp phép.",
        {"procedure": "Cấp giấy phép môi trường", "risk": True},
    ),
    (
        "Thay đổi công nghệ có phải đánh giá tác động môi trường lại",
        "Công ty thay công nghệ sơn dung môi bằng sơn tĩnh điện, giảm đáng kể khí thải, đồng thời "
        "tăng công suất khoảng {pct}%. Đề nghị hướng dẫn trường hợp này có phải lập lại báo cáo "
        "đánh giá tác động môi trường hay chỉ cần điều chỉnh giấy phép môi trường.",
        {"procedure": "Đánh giá tác động môi trường"},
    ),
    (
        "Yêu cầu lắp quan trắc nước thải tự động, liên tục",
        "Công ty được yêu cầu lắp trạm quan trắc nước thải tự động, liên tục và truyền dữ liệu về "
        "cơ quan môi trường, dù lưu lượng thải chỉ khoảng {n}0 m³/ngày đêm và đã đấu nối về trạm "
        "xử lý tập trung. Đề nghị hướng dẫn rõ đối tượng bắt buộc lắp quan trắc tự động.",
        {"procedure": "Quan trắc môi trường"},
    ),
    (
        "Khó tìm đơn vị thu gom chất thải nguy hại",
        "Lượng chất thải nguy hại như giẻ lau dính dầu, bóng đèn, bao bì hóa chất của công ty "
        "khoảng {n} tấn mỗi tháng, nhưng các đơn vị có giấy phép xử lý ở gần rất ít, giá cao và "
        "lịch thu gom không ổn định. Đề nghị thành phố công bố danh sách đơn vị đủ điều kiện và "
        "quy hoạch điểm tập kết.",
        {"procedure": "Quản lý chất thải nguy hại"},
    ),
    (
        "Mùi hôi từ cơ sở lân cận ảnh hưởng người lao động",
        "Nhiều ngày gần đây, mùi hôi nồng nặc từ một cơ sở lân cận bay sang nhà máy, đặc biệt vào "
        "buổi tối, nhiều công nhân phản ánh đau đầu. Đề nghị cơ quan môi trường kiểm tra, quan "
        "trắc khí thải và xử lý nguồn gây mùi.",
        {"procedure": "Kiểm tra, xử lý vi phạm về môi trường"},
    ),
    (
        "Bụi từ công trường san lấp và xe chở đất trên {road}",
        "Các công trường san lấp lân cận và xe chở đất không che chắn đi trên {road} gây bụi nghiêm "
        "trọng, ảnh hưởng phòng sạch và hệ thống lọc khí của nhà máy. Đề nghị kiểm tra, yêu cầu che "
        "chắn, rửa xe và tưới nước mặt đường.",
        {"procedure": "Kiểm tra, xử lý vi phạm về môi trường"},
    ),
    (
        "Đăng ký môi trường cho xưởng thử nghiệm quy mô nhỏ",
        "Công ty khởi nghiệp có một xưởng thử nghiệm quy mô nhỏ, phát sinh ít nước thải và chất "
        "thải. Đề nghị hướng dẫn xưởng thuộc diện phải có giấy phép môi trường hay chỉ cần đăng ký "
        "môi trường, và thủ tục thực hiện trực tuyến.",
        {"procedure": "Đăng ký môi trường"},
    ),
    (
        "Trách nhiệm tái chế bao bì của nhà sản xuất",
        "Công ty sản xuất thiết bị điện tử gia dụng, thuộc đối tượng thực hiện trách nhiệm tái chế "
        "sản phẩm, bao bì. Tỷ lệ tái chế bắt buộc và cách kê khai đóng góp vào quỹ bảo vệ môi "
        "trường còn chưa rõ. Đề nghị tổ chức tập huấn và hướng dẫn cụ thể.",
        {"procedure": "Trách nhiệm mở rộng của nhà sản xuất"},
    ),
    (
        "Kiểm kê khí nhà kính cấp cơ sở",
        "Công ty có tên trong danh mục cơ sở phải kiểm kê khí nhà kính nhưng chưa có kinh nghiệm "
        "và chưa rõ phương pháp tính phát thải từ điện năng tiêu thụ. Đề nghị hướng dẫn biểu mẫu, "
        "thời hạn và giới thiệu đơn vị tư vấn đủ năng lực.",
        {"procedure": "Kiểm kê khí nhà kính"},
    ),
    (
        "Mương tiêu sau trạm xử lý nước thải có màu và mùi bất thường",
        "Đoạn mương tiêu sau cửa xả của khu có màu đen và mùi bất thường, người dân {commune} phản "
        "ánh và cho rằng do các doanh nghiệp xả thải. Công ty đã đấu nối toàn bộ nước thải về trạm "
        "xử lý tập trung. Đề nghị cơ quan môi trường lấy mẫu, xác định nguồn và công bố kết quả.",
        {"procedure": "Kiểm tra, xử lý vi phạm về môi trường"},
    ),
    (
        "Người dân đốt rơm rạ, rác gây khói vào nhà máy",
        "Vào mùa thu hoạch, người dân ở {commune} đốt rơm rạ và rác sát hàng rào nhà máy, khói "
        "bay vào xưởng và hệ thống điều hòa. Đề nghị chính quyền tuyên truyền, xử lý và bố trí "
        "điểm thu gom rơm rạ, rác thải.",
        {"procedure": "Kiểm tra, xử lý vi phạm về môi trường"},
    ),
    (
        "Giấy phép khai thác nước dưới đất khi cấp nước sạch chưa ổn định",
        "Do nước sạch cấp không ổn định, công ty muốn khoan giếng khai thác khoảng {n}0 m³/ngày "
        "làm nguồn dự phòng. Đề nghị hướng dẫn thủ tục cấp phép khai thác nước dưới đất và điều "
        "kiện được khai thác tại khu vực.",
        {"procedure": "Cấp phép khai thác nước dưới đất"},
    ),
    (
        "Quan trắc môi trường định kỳ bị kiểm tra trùng lặp",
        "Trong năm, công ty đã được {n} đoàn kiểm tra về môi trường với nội dung trùng lặp, mỗi đoàn "
        "yêu cầu lại bộ hồ sơ như nhau. Đề nghị các cơ quan phối hợp, tổ chức kiểm tra liên ngành "
        "một lần trong năm.",
        {"procedure": "Thanh tra, kiểm tra về môi trường"},
    ),
    (
        "Chất thải rắn công nghiệp thông thường không có đơn vị thu gom",
        "Phế liệu gỗ pallet, bìa carton và xỉ từ lò của công ty khoảng {n}0 tấn mỗi tháng, nhưng đơn "
        "vị thu gom cũ đã ngừng hoạt động. Rác phải lưu giữ trong nhà máy gây nguy cơ cháy. Đề "
        "nghị giới thiệu đơn vị thu gom, xử lý đủ điều kiện.",
        {"procedure": "Quản lý chất thải rắn công nghiệp", "urgent": True},
    ),
    (
        "Tỷ lệ cây xanh trong lô đất theo giấy phép môi trường",
        "Giấy phép môi trường yêu cầu tỷ lệ cây xanh trong lô {plot} cao hơn chỉ tiêu quy hoạch đã "
        "duyệt, khiến công ty không đủ diện tích mở rộng kho. Đề nghị thống nhất chỉ tiêu cây xanh "
        "giữa hồ sơ môi trường và quy hoạch.",
        {"procedure": "Cấp giấy phép môi trường"},
    ),
    (
        "Ứng phó sự cố tràn hóa chất và kế hoạch phòng ngừa",
        "Công ty sử dụng một số hóa chất nguy hiểm trong sản xuất và phải xây dựng kế hoạch phòng "
        "ngừa, ứng phó sự cố môi trường. Đề nghị cơ quan môi trường hướng dẫn nội dung kế hoạch, "
        "phân biệt với kế hoạch ứng phó sự cố hóa chất để tránh làm hai bộ hồ sơ trùng nhau.",
        {"procedure": "Kế hoạch ứng phó sự cố môi trường"},
    ),
    (
        "Đề nghị hướng dẫn chuyển đổi sang mô hình khu công nghiệp sinh thái",
        "Công ty mong muốn tham gia cộng sinh công nghiệp, dùng lại nhiệt thải và nước thải sau xử "
        "lý với doanh nghiệp lân cận trong {zone_s}. Đề nghị cơ quan môi trường hướng dẫn tiêu chí "
        "doanh nghiệp sinh thái và các chính sách hỗ trợ.",
        {"procedure": "Khu công nghiệp sinh thái"},
    ),
    (
        "Tiếng ồn từ công trường thi công ban đêm",
        "Một công trường lân cận thi công ép cọc cả ban đêm, tiếng ồn và rung ảnh hưởng thiết bị "
        "đo chính xác trong phòng thí nghiệm của công ty. Đề nghị cơ quan chức năng kiểm tra, yêu "
        "cầu nhà thầu tuân thủ giờ thi công và giới hạn tiếng ồn.",
        {"procedure": "Kiểm tra, xử lý vi phạm về môi trường"},
    ),
    (
        "Nhập khẩu phế liệu làm nguyên liệu sản xuất",
        "Công ty cần nhập khẩu phế liệu nhựa sạch để làm nguyên liệu sản xuất và phải có giấy phép "
        "môi trường có nội dung nhập khẩu phế liệu. Đề nghị hướng dẫn điều kiện kho bãi, ký quỹ "
        "bảo đảm và thời gian thẩm định.",
        {"procedure": "Cấp giấy phép môi trường"},
    ),
)

# --- security, order and fire safety -----------------------------------------------------------

SECURITY = _bank(
    "security",
    (
        "Trộm cắp dây cáp điện, vật tư tại công trường",
        "Trong {month}, công trường của công ty bị mất trộm {n} lần, chủ yếu dây cáp điện, thép và "
        "thiết bị cầm tay, thiệt hại khoảng {amount_s} tỷ đồng. Các đối tượng lợi dụng ban đêm, "
        "khu vực thiếu chiếu sáng. Đề nghị công an tăng cường tuần tra, điều tra các vụ việc.",
        {"procedure": "Tiếp nhận tố giác tội phạm"},
    ),
    (
        "Nhóm đối tượng cản trở xe chở vật liệu, đòi tiền",
        "Một nhóm đối tượng thường xuyên chặn xe chở vật liệu vào công trường, đòi nhà thầu phải mua "
        "vật liệu của họ hoặc nộp tiền mới cho đi. Việc thi công bị gián đoạn nhiều ngày. Đề nghị "
        "công an vào cuộc xử lý nghiêm để bảo đảm môi trường đầu tư.",
        {"procedure": "Tiếp nhận tố giác tội phạm", "urgent": True},
    ),
    (
        "An ninh trật tự phức tạp tại khu nhà trọ công nhân",
        "Khu nhà trọ nơi khoảng {workers} công nhân của công ty thuê ở {commune} thường xảy ra trộm "
        "cắp xe máy, đánh nhau và cho vay nặng lãi. Nhiều công nhân xin nghỉ việc vì không yên tâm. "
        "Đề nghị công an tăng cường kiểm tra, quản lý cư trú tại khu vực.",
        {"procedure": "Bảo đảm an ninh trật tự"},
    ),
    (
        "Đua xe trái phép trên {road} vào ban đêm",
        "Vào tối cuối tuần, nhiều nhóm thanh thiếu niên tụ tập đua xe trái phép trên {road}, đoạn "
        "gần cổng khu, gây nguy hiểm cho công nhân tan ca và xe của doanh nghiệp. Đề nghị công an "
        "bố trí lực lượng chốt chặn, xử lý.",
        {"procedure": "Bảo đảm trật tự an toàn giao thông"},
    ),
    (
        "Thẩm định thiết kế về phòng cháy chữa cháy quá hạn",
        "Hồ sơ thẩm định thiết kế về phòng cháy và chữa cháy của nhà xưởng nộp từ {date}, đã quá "
        "thời hạn nhưng chưa có văn bản thẩm định. Không có kết quả, doanh nghiệp chưa thể hoàn "
        "thiện hồ sơ xin giấy phép xây dựng. Đề nghị cơ quan cảnh sát PCCC giải quyết sớm.",
        {"procedure": "Thẩm định thiết kế về phòng cháy chữa cháy"},
    ),
    (
        "Chưa được nghiệm thu PCCC nên chưa đưa nhà xưởng vào hoạt động",
        "Nhà xưởng mới của công ty đã hoàn thành, hệ thống chữa cháy tự động đã thử nghiệm đạt yêu "
        "cầu, nhưng chưa được cơ quan cảnh sát PCCC kiểm tra kết quả nghiệm thu. {workers} công "
        "nhân mới tuyển đang phải chờ việc. Đề nghị bố trí lịch nghiệm thu sớm nhất.",
        {"procedure": "Nghiệm thu về phòng cháy chữa cháy", "urgent": True, "risk": True},
    ),
    (
        "Nhiều đoàn kiểm tra phòng cháy chữa cháy trong một năm",
        "Trong năm, công ty đã tiếp {n} đoàn kiểm tra về phòng cháy chữa cháy với nội dung tương tự. "
        "Doanh nghiệp luôn sẵn sàng chấp hành nhưng việc kiểm tra dồn dập ảnh hưởng sản xuất. Đề "
        "nghị thống nhất kế hoạch kiểm tra định kỳ và kết hợp kiểm tra liên ngành.",
        {"procedure": "Kiểm tra an toàn phòng cháy chữa cháy"},
    ),
    (
        "Khai báo tạm trú cho chuyên gia nước ngoài ở nhà thuê",
        "Các chuyên gia người {country} của công ty thuê nhà ở {commune}; chủ nhà chưa khai báo tạm "
        "trú đúng hạn nên chuyên gia bị nhắc nhở khi làm thủ tục gia hạn thị thực. Đề nghị công an "
        "hướng dẫn doanh nghiệp được khai báo tạm trú thay cho chuyên gia trên hệ thống.",
        {"procedure": "Khai báo tạm trú cho người nước ngoài"},
    ),
    (
        "Đối tượng giả danh cơ quan nhà nước gọi điện yêu cầu chuyển tiền",
        "Gần đây, kế toán của công ty nhận nhiều cuộc gọi giả danh cán bộ thuế, công an yêu cầu cài "
        'ứng dụng và chuyển tiền để "xác minh hồ sơ". Một doanh nghiệp lân cận đã bị lừa. Đề nghị '
        "công an cảnh báo và hướng dẫn doanh nghiệp cách xác minh, tố giác.",
        {"procedure": "Tiếp nhận tố giác tội phạm"},
    ),
    (
        "Người dân chặn cổng công trường, cản trở thi công",
        "Từ {date}, một số người dân chặn cổng công trường, không cho xe và công nhân ra vào, yêu "
        "cầu giải quyết quyền lợi liên quan đến đất đã thu hồi từ nhiều năm trước. Thi công bị đình "
        "trệ. Đề nghị công an bảo đảm trật tự, phối hợp với chính quyền giải quyết ôn hòa.",
        {"procedure": "Bảo đảm an ninh trật tự", "urgent": True, "stop": True},
    ),
    (
        "Kết nối camera an ninh của doanh nghiệp với hệ thống chung",
        "Công ty có hệ thống camera an ninh quanh tường rào và cổng. Đề nghị công an hướng dẫn việc "
        "kết nối, chia sẻ hình ảnh camera với hệ thống giám sát an ninh chung của khu vực để phòng "
        "ngừa trộm cắp.",
        {"procedure": "Bảo đảm an ninh trật tự"},
    ),
    (
        "Xe quá tải và đỗ dừng sai quy định trước cổng khu",
        "Nhiều xe tải quá tải chở vật liệu và xe đỗ sai quy định trước cổng khu trên {road} gây mất "
        "an toàn giao thông, cản trở xe cứu hỏa. Đề nghị cảnh sát giao thông kiểm tra, xử lý thường "
        "xuyên.",
        {"procedure": "Bảo đảm trật tự an toàn giao thông"},
    ),
    (
        "Hệ thống thông tin của công ty bị tấn công mạng",
        "Vào {date}, hệ thống máy chủ của công ty bị tấn công mã hóa dữ liệu đòi tiền chuộc, một "
        "phần dữ liệu thiết kế có thể đã bị lấy cắp. Sản xuất bị gián đoạn. Đề nghị cơ quan an ninh "
        "mạng hỗ trợ điều tra, khắc phục và hướng dẫn phòng ngừa.",
        {"procedure": "Tiếp nhận tố giác tội phạm", "urgent": True, "stop": True},
    ),
    (
        "Bảo vệ bí mật công nghệ, phòng chống gián điệp kinh tế",
        "Công ty đang phát triển công nghệ lõi và nhận thấy dấu hiệu có người tiếp cận nhân viên để "
        "mua thông tin thiết kế. Đề nghị cơ quan công an hướng dẫn biện pháp bảo vệ bí mật kinh "
        "doanh, phối hợp xác minh khi có dấu hiệu vi phạm.",
        {"procedure": "Bảo vệ an ninh kinh tế"},
    ),
    (
        "Trụ nước chữa cháy công cộng trên {road} không có nước",
        "Qua kiểm tra, các trụ nước chữa cháy công cộng dọc {road} gần nhà máy không có nước hoặc áp "
        "lực rất yếu. Nếu xảy ra cháy lớn, lực lượng chữa cháy không có nguồn nước. Đề nghị cơ quan "
        "cảnh sát PCCC và đơn vị cấp nước kiểm tra, khắc phục.",
        {"procedure": "Kiểm tra an toàn phòng cháy chữa cháy"},
    ),
    (
        "Mất trộm linh kiện có dấu hiệu câu kết nội bộ",
        "Công ty phát hiện thất thoát khoảng {n}.000 linh kiện giá trị cao trong kho, có dấu hiệu "
        "câu kết giữa một số nhân viên và người bên ngoài. Doanh nghiệp đã trình báo công an. Đề "
        "nghị cơ quan điều tra sớm xác minh, thu hồi tài sản.",
        {"procedure": "Tiếp nhận tố giác tội phạm"},
    ),
    (
        "Xô xát giữa các nhóm công nhân sau giờ làm",
        "Tối {date}, xảy ra xô xát giữa hai nhóm công nhân của hai công ty tại khu vực quán ăn gần "
        "cổng khu, có người bị thương. Tình trạng tụ tập uống rượu sau giờ làm diễn ra thường xuyên. "
        "Đề nghị công an tăng cường tuần tra vào buổi tối.",
        {"procedure": "Bảo đảm an ninh trật tự"},
    ),
    (
        "Hàng rong, xe ôm lấn chiếm cổng khu gây mất trật tự",
        "Trước cổng {zone_s}, hàng rong và xe ôm tụ tập lấn chiếm lòng đường, vỉa hè vào giờ tan ca, "
        "gây ùn tắc và mất trật tự. Đề nghị lực lượng công an và chính quyền {commune} lập lại trật "
        "tự, bố trí điểm bán hàng phù hợp.",
        {"procedure": "Bảo đảm trật tự công cộng"},
    ),
)

# --- other (board) ----------------------------------------------------------------------------

OTHER = _bank(
    "other",
    (
        "Thiếu nhà ở cho chuyên gia nước ngoài gần nơi làm việc",
        "Công ty có {experts} chuyên gia người {country} cùng gia đình sắp sang làm việc nhưng quanh "
        "{zone_s} chưa có nhà ở cho thuê đạt tiêu chuẩn. Chuyên gia phải ở nội thành, di chuyển "
        "hơn {mins} phút mỗi chiều. Đề nghị thành phố sớm có khu nhà ở, dịch vụ cho chuyên gia.",
        {"procedure": ""},
    ),
    (
        "Đề nghị đầu tư nhà ở xã hội cho công nhân",
        "Phần lớn {workers} công nhân của công ty đang thuê trọ chật chội ở {commune}, chi phí cao. "
        "Đề nghị thành phố đẩy nhanh các dự án nhà ở xã hội, nhà lưu trú công nhân gần khu và có "
        "cơ chế để doanh nghiệp cùng tham gia.",
        {"procedure": ""},
    ),
    (
        "Trường học quốc tế cho con em chuyên gia",
        "Nhiều chuyên gia nước ngoài từ chối sang làm việc dài hạn vì khu vực {locality} chưa có "
        "trường học quốc tế cho con em. Đề nghị thành phố kêu gọi đầu tư trường quốc tế hoặc hỗ trợ "
        "xe đưa đón đến các trường hiện có.",
        {"procedure": ""},
    ),
    (
        "Cơ sở y tế, phòng khám đạt chuẩn quốc tế gần khu",
        "Khi người lao động, chuyên gia gặp tai nạn hoặc ốm nặng phải chuyển lên bệnh viện trong "
        "nội thành, mất nhiều thời gian. Đề nghị bố trí cơ sở y tế, phòng khám có bác sĩ nói tiếng "
        "Anh trong hoặc gần {zone_s}.",
        {"procedure": ""},
    ),
    (
        "Cơ chế thử nghiệm có kiểm soát cho thiết bị bay không người lái",
        "Công ty đang phát triển thiết bị bay không người lái giao hàng nội khu và cần thử nghiệm "
        "thực tế trong phạm vi {zone_s}. Hiện chưa có quy định cấp phép thử nghiệm. Đề nghị Ban "
        "Quản lý đề xuất thành phố cơ chế thử nghiệm có kiểm soát và hướng dẫn hồ sơ đăng ký.",
        {"procedure": "Thử nghiệm có kiểm soát (sandbox)"},
    ),
    (
        "Kết nối doanh nghiệp với trường đại học, viện nghiên cứu",
        "Công ty muốn đặt hàng nghiên cứu và tuyển thực tập sinh từ các trường đại học, viện nghiên "
        "cứu nhưng chưa có đầu mối kết nối. Đề nghị Ban Quản lý tổ chức các buổi kết nối định kỳ và "
        "xây dựng danh mục năng lực nghiên cứu.",
        {"procedure": ""},
    ),
    (
        "Tiếp cận quỹ đổi mới sáng tạo cho doanh nghiệp khởi nghiệp",
        "Doanh nghiệp khởi nghiệp của chúng tôi cần khoảng {amount_s} tỷ đồng vốn mồi để sản xuất "
        "thử. Thủ tục tiếp cận các quỹ hỗ trợ đổi mới sáng tạo của nhà nước phức tạp, thời gian "
        "xét duyệt dài. Đề nghị đơn giản hóa hồ sơ và giới thiệu các quỹ đầu tư mạo hiểm.",
        {"procedure": "Hỗ trợ từ quỹ đổi mới sáng tạo"},
    ),
    (
        "Cổng dịch vụ công thường xuyên lỗi khi nộp hồ sơ",
        "Khi nộp hồ sơ trực tuyến, cổng dịch vụ công thường xuyên báo lỗi tải tệp đính kèm và mất "
        "dữ liệu đã nhập, doanh nghiệp phải nộp lại nhiều lần. Đề nghị khắc phục và cho phép nộp bổ "
        "sung qua thư điện tử khi hệ thống gặp sự cố.",
        {"procedure": "Dịch vụ công trực tuyến"},
    ),
    (
        "Thiếu dịch vụ tiện ích: nhà hàng, siêu thị, ngân hàng",
        "Trong và quanh {zone_s} còn thiếu nhà hàng, siêu thị, điểm giao dịch ngân hàng và cây ATM, "
        "người lao động phải đi xa vào giờ nghỉ trưa. Đề nghị quy hoạch và kêu gọi đầu tư khu dịch "
        "vụ tiện ích.",
        {"procedure": ""},
    ),
    (
        "Đề nghị tổ chức hội chợ kết nối doanh nghiệp cung ứng",
        "Công ty muốn tìm nhà cung cấp linh kiện, dịch vụ trong nước để tăng tỷ lệ nội địa hóa. Đề "
        "nghị Ban Quản lý tổ chức hội chợ, diễn đàn kết nối giữa doanh nghiệp FDI và doanh nghiệp "
        "Việt Nam trong các khu.",
        {"procedure": "Xúc tiến, kết nối kinh doanh"},
    ),
    (
        "Đề nghị tổ chức đối thoại chuyên đề về thủ tục hành chính",
        "Qua hội nghị đối thoại vừa qua, nhiều vướng mắc chưa được trả lời cụ thể do thời gian hạn "
        "chế. Doanh nghiệp đề nghị tổ chức các buổi đối thoại chuyên đề theo nhóm vấn đề, có đại "
        "diện các sở, ngành trả lời trực tiếp.",
        {"procedure": "Đối thoại doanh nghiệp"},
    ),
    (
        "Hỗ trợ đăng ký sáng chế và bảo hộ sở hữu trí tuệ",
        "Công ty có {n} giải pháp kỹ thuật muốn đăng ký sáng chế trong nước và quốc tế nhưng thời "
        "gian thẩm định kéo dài, chi phí cao. Đề nghị có chương trình hỗ trợ doanh nghiệp công nghệ "
        "cao đăng ký và khai thác tài sản trí tuệ.",
        {"procedure": "Đăng ký sáng chế"},
    ),
    (
        "Hỗ trợ chuyển đổi số cho doanh nghiệp nhỏ trong khu",
        "Doanh nghiệp nhỏ và vừa muốn áp dụng hệ thống quản lý sản xuất, kho số hóa nhưng thiếu "
        "chuyên gia và vốn. Đề nghị Ban Quản lý giới thiệu chương trình hỗ trợ chuyển đổi số của "
        "thành phố, tư vấn miễn phí ban đầu.",
        {"procedure": "Hỗ trợ chuyển đổi số"},
    ),
    (
        "Thiếu biển chỉ dẫn và bản đồ vị trí doanh nghiệp",
        "Khách hàng, đối tác và tài xế giao hàng thường xuyên đi lạc vì {zone_s} thiếu biển chỉ "
        "dẫn, tên đường và bản đồ vị trí các doanh nghiệp. Đề nghị lắp biển chỉ dẫn và cập nhật "
        "bản đồ số.",
        {"procedure": ""},
    ),
    (
        "Nhà trẻ cho con công nhân",
        "Nhiều nữ công nhân của công ty có con nhỏ nhưng khu vực {commune} thiếu nhà trẻ, nhóm trẻ "
        "nhận trông đến tối. Đề nghị thành phố hỗ trợ xây dựng nhà trẻ gần khu, doanh nghiệp sẵn "
        "sàng đóng góp một phần kinh phí.",
        {"procedure": ""},
    ),
    (
        "Văn bản hướng dẫn thủ tục bằng tiếng Anh cho nhà đầu tư nước ngoài",
        "Nhà đầu tư nước ngoài khó tiếp cận các văn bản hướng dẫn thủ tục vì chỉ có bản tiếng Việt. "
        "Đề nghị Ban Quản lý công bố bản tiếng Anh của các quy trình chính và có đầu mối hỗ trợ nói "
        "tiếng Anh, tiếng Nhật, tiếng Hàn.",
        {"procedure": ""},
    ),
    (
        "Kết nối với Trung tâm Đổi mới sáng tạo Quốc gia",
        "Công ty muốn sử dụng phòng thí nghiệm dùng chung và tham gia chương trình tăng tốc khởi "
        "nghiệp của Trung tâm Đổi mới sáng tạo Quốc gia. Đề nghị Ban Quản lý giới thiệu đầu mối và "
        "điều kiện tham gia.",
        {"procedure": ""},
    ),
    (
        "Đề nghị chính sách hỗ trợ doanh nghiệp thuê văn phòng trong khu phần mềm",
        "Doanh nghiệp phần mềm khởi nghiệp với khoảng {workers} kỹ sư muốn thuê văn phòng trong khu "
        "nhưng giá thuê cao so với khả năng. Đề nghị có chính sách hỗ trợ giá thuê có thời hạn cho "
        "doanh nghiệp khởi nghiệp sáng tạo.",
        {"procedure": ""},
    ),
)

BANK: dict[str, list[Base]] = {
    "land": LAND,
    "construction": CONSTRUCTION,
    "investment": INVESTMENT,
    "tax": TAX,
    "customs": CUSTOMS,
    "labour": LABOUR,
    "infrastructure": INFRASTRUCTURE,
    "environment": ENVIRONMENT,
    "security": SECURITY,
    "other": OTHER,
}

# Short second concerns that a letter sometimes adds after its main one (category of the concern).
SIDE_CONCERNS: dict[str, list[str]] = {
    "land": [
        "Ngoài ra, phần đất khoảng {m2} m² phía sau nhà xưởng vẫn chưa được bàn giao do còn vướng mồ mả.",
        "Nhân đây, công ty cũng đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất đã nộp hồ sơ từ lâu.",
    ],
    "construction": [
        "Bên cạnh đó, hồ sơ điều chỉnh giấy phép xây dựng nhà kho của công ty cũng đang chậm so với thời hạn.",
        "Đồng thời, doanh nghiệp vẫn chưa nhận được thông tin quy hoạch của lô liền kề đã đề nghị.",
    ],
    "investment": [
        "Đồng thời, hồ sơ điều chỉnh giấy chứng nhận đăng ký đầu tư của công ty vẫn chưa có kết quả.",
    ],
    "tax": [
        "Nhân dịp này, công ty cũng đề nghị sớm giải quyết hồ sơ hoàn thuế GTGT còn tồn đọng.",
        "Ngoài ra, thông báo tiền thuê đất năm nay của công ty có sai sót cần được điều chỉnh.",
    ],
    "customs": [
        "Ngoài ra, các tờ khai nhập khẩu linh kiện gần đây thường xuyên bị phân luồng đỏ.",
    ],
    "labour": [
        "Đồng thời, công ty đang chờ gia hạn giấy phép lao động cho {n} chuyên gia nước ngoài.",
        "Bên cạnh đó, doanh nghiệp vẫn thiếu khoảng {n}0 kỹ thuật viên chưa tuyển được.",
    ],
    "infrastructure": [
        "Bên cạnh đó, tình trạng mất điện cục bộ vẫn xảy ra vài lần mỗi tháng.",
        "Ngoài ra, đường vào nhà máy đoạn qua {road2} ngập nước mỗi khi mưa lớn.",
        "Thêm vào đó, xe buýt đến khu vẫn rất ít chuyến, công nhân đi lại khó khăn.",
    ],
    "environment": [
        "Ngoài ra, doanh nghiệp cũng đang chờ cấp điều chỉnh giấy phép môi trường.",
    ],
    "security": [
        "Thêm vào đó, tình trạng trộm cắp vặt quanh khu nhà trọ công nhân có chiều hướng gia tăng.",
    ],
    "other": [
        "Ngoài ra, doanh nghiệp mong thành phố sớm có giải pháp nhà ở cho chuyên gia nước ngoài.",
    ],
}

OPENINGS = [
    "Kính gửi Ban Quản lý các Khu công nghệ cao và khu công nghiệp thành phố Hà Nội.",
    "Công ty xin trân trọng gửi tới Ban Quản lý và các sở, ngành nội dung vướng mắc như sau.",
    "Thực hiện chủ trương đối thoại, tháo gỡ khó khăn cho doanh nghiệp của thành phố, doanh nghiệp "
    "xin phản ánh như sau.",
    "Trước hết, doanh nghiệp trân trọng cảm ơn sự quan tâm, hỗ trợ của thành phố thời gian qua.",
    "Doanh nghiệp xin báo cáo một vướng mắc phát sinh trong quá trình hoạt động tại {zone_s}.",
    "Tiếp theo nội dung đã nêu tại hội nghị đối thoại doanh nghiệp, công ty xin phản ánh cụ thể.",
    "Công ty chúng tôi là nhà đầu tư đang hoạt động tại {zone}.",
    "Qua theo dõi thực tế, chúng tôi nhận thấy vấn đề sau cần được quan tâm giải quyết.",
    "Nội dung này doanh nghiệp đã phản ánh bằng văn bản từ {date} nhưng chưa được trả lời.",
]

CLOSINGS = [
    "Kính đề nghị quý cơ quan xem xét, giải quyết.",
    "Rất mong nhận được sự quan tâm, hỗ trợ kịp thời của các cơ quan chức năng.",
    "Doanh nghiệp sẵn sàng phối hợp, cung cấp thêm hồ sơ khi được yêu cầu.",
    "Trân trọng cảm ơn.",
    "Đề nghị có văn bản trả lời trước {date2} để doanh nghiệp kịp kế hoạch sản xuất.",
    "Đầu mối liên hệ của công ty là phòng Hành chính – Pháp chế.",
    "Công ty mong được trả lời bằng văn bản, có thể công khai để các doanh nghiệp khác cùng tham khảo.",
    "Xin trân trọng cảm ơn và mong sớm nhận được phản hồi.",
]

URGENT_CLOSINGS = [
    "Do tính cấp bách, kính đề nghị xử lý khẩn trong ngày.",
    "Vụ việc đang gây thiệt hại hằng ngày, rất mong được xử lý ngay.",
]

TITLE_PREFIXES = ["", "", "", "Kiến nghị: ", "Vướng mắc: ", "Đề nghị tháo gỡ: ", "Phản ánh: "]
TITLE_SUFFIXES = ["", "", " tại {zone_s}", " ({locality})", " – lô {plot}", " (lần 2)"]

CONFIDENTIAL_NOTES = [
    "Giá trị hợp đồng EPC với nhà thầu là {secret} tỷ đồng; thông tin mật theo thỏa thuận, đề nghị không công bố.",
    "Doanh thu dự kiến của dây chuyền mới: {secret} tỷ đồng/năm (số liệu nội bộ, không công bố).",
    "Khoản vay ngân hàng đang thẩm định: {secret} tỷ đồng, phụ thuộc vào kết quả giải quyết kiến nghị.",
    "Thiệt hại ước tính đến nay: {secret} tỷ đồng; chỉ cung cấp cho cơ quan giải quyết.",
    "Tên khách hàng và giá trị đơn hàng ({secret} tỷ đồng) là bí mật kinh doanh.",
    "Đơn giá thuê lại đất đã thỏa thuận: {secret_usd} USD/m² cho cả thời hạn thuê, đề nghị giữ kín.",
    "Công ty mẹ đang cân nhắc chuyển khoản đầu tư {secret_usd_m} triệu USD sang nước khác nếu "
    "không được tháo gỡ; thông tin nội bộ.",
]

# Private details of a petition that is not about money at risk.
PRIVATE_NOTES = [
    "Số điện thoại riêng của giám đốc nhà máy để liên hệ khi cần: 09{phone}; không công bố.",
    "Sản lượng thực tế tháng gần nhất: {units} sản phẩm (số liệu nội bộ, không công bố).",
    "Danh sách người lao động liên quan kèm theo hồ sơ; đề nghị không công bố thông tin cá nhân.",
    "Đơn giá dịch vụ đang trả cho nhà cung cấp: {secret_k} nghìn đồng/tháng (bí mật kinh doanh).",
]

# --- the places of each zone (roads and communes are real; plots and substations synthetic) ----

ZONE_PLACES: dict[str, dict] = {
    HHTP: {
        "zone": "Khu công nghệ cao Hòa Lạc",
        "zone_s": ["Khu CNC Hòa Lạc", "Khu công nghệ cao Hòa Lạc"],
        "roads": [
            "Đại lộ Thăng Long",
            "Đại lộ Thăng Long đoạn Km 29",
            "Quốc lộ 21",
            "đường Hồ Chí Minh",
            "Tỉnh lộ 420",
        ],
        "communes": [
            "xã Hòa Lạc",
            "xã Thạch Thất",
            "xã Quốc Oai",
            "xã Bình Yên (cũ)",
            "xã Tân Xã (cũ)",
            "xã Hạ Bằng (cũ)",
            "xã Thạch Hòa (cũ)",
        ],
        "localities": ["Thạch Thất", "Quốc Oai", "Hòa Lạc"],
        "plot_prefixes": ["CNC", "CN", "NC", "PM", "GD", "DV"],
        "hubs": ["Mỹ Đình, Cầu Giấy", "trung tâm Hà Đông", "khu vực Xuân Mai", "trung tâm Sơn Tây"],
        "substations": ["trạm biến áp 110kV Khu CNC Hòa Lạc", "trạm biến áp 110kV Thạch Thất"],
        "water_plants": ["tuyến ống nước sạch sông Đà", "nhà máy nước sông Đà"],
    },
    "KCNTL": {
        "zone": "Khu công nghiệp Thăng Long",
        "zone_s": ["KCN Thăng Long", "Khu công nghiệp Thăng Long"],
        "roads": [
            "đường Võ Văn Kiệt",
            "Quốc lộ 23",
            "đường Bắc Thăng Long – Nội Bài",
            "đường dẫn cầu Thăng Long",
            "đường Võ Nguyên Giáp",
        ],
        "communes": ["xã Kim Chung", "xã Võng La", "xã Hải Bối", "xã Đại Mạch", "xã Đông Anh"],
        "localities": ["Đông Anh", "Kim Chung", "Võng La"],
        "plot_prefixes": ["A", "B", "C", "D", "E", "CN"],
        "hubs": ["trung tâm Đông Anh", "Bắc Từ Liêm qua cầu Thăng Long", "Mê Linh", "Cầu Giấy"],
        "substations": ["trạm biến áp 110kV KCN Thăng Long", "trạm biến áp 110kV Đông Anh"],
        "water_plants": ["nhà máy nước Bắc Thăng Long", "hệ thống cấp nước Bắc Thăng Long – Vân Trì"],
    },
    "KCNNB": {
        "zone": "Khu công nghiệp Nội Bài",
        "zone_s": ["KCN Nội Bài", "Khu công nghiệp Nội Bài"],
        "roads": ["Quốc lộ 2", "Quốc lộ 3", "cao tốc Nội Bài – Lào Cai", "Quốc lộ 18", "đường Võ Nguyên Giáp"],
        "communes": ["xã Quang Tiến", "xã Mai Đình", "xã Phù Lỗ", "xã Phú Minh", "xã Sóc Sơn"],
        "localities": ["Sóc Sơn", "Nội Bài", "Quang Tiến"],
        "plot_prefixes": ["CN", "A", "B", "KT", "C"],
        "hubs": ["trung tâm Sóc Sơn", "Đông Anh", "Phúc Yên", "khu vực sân bay Nội Bài"],
        "substations": ["trạm biến áp 110kV KCN Nội Bài", "trạm biến áp 110kV Sóc Sơn"],
        "water_plants": ["trạm cấp nước KCN Nội Bài", "hệ thống cấp nước Sóc Sơn"],
    },
    "KCNSDB": {
        "zone": "Khu công nghiệp Sài Đồng B",
        "zone_s": ["KCN Sài Đồng B", "Khu công nghiệp Sài Đồng B"],
        "roads": ["Quốc lộ 5", "đường Nguyễn Văn Linh", "đường Cổ Linh", "đường Thạch Bàn", "đường Vũ Xuân Thiều"],
        "communes": ["phường Thạch Bàn", "phường Phúc Đồng", "phường Sài Đồng", "phường Phúc Lợi", "phường Long Biên"],
        "localities": ["Long Biên", "Thạch Bàn", "Sài Đồng"],
        "plot_prefixes": ["CN", "A", "B", "C"],
        "hubs": ["trung tâm Long Biên", "Gia Lâm", "Hoàn Kiếm qua cầu Chương Dương", "Hoàng Mai qua cầu Vĩnh Tuy"],
        "substations": ["trạm biến áp 110kV Sài Đồng", "trạm biến áp 110kV Long Biên"],
        "water_plants": ["nhà máy nước Gia Lâm", "hệ thống cấp nước Long Biên"],
    },
}

COUNTRIES = [
    "Nhật Bản",
    "Hàn Quốc",
    "Đài Loan (Trung Quốc)",
    "Singapore",
    "Đức",
    "Hoa Kỳ",
    "Trung Quốc",
    "Pháp",
    "Ấn Độ",
    "Malaysia",
    "Hà Lan",
    "Israel",
]

# --- routing --------------------------------------------------------------------------------

# Folded keywords that tell the sub-kind inside a category whose lead agency depends on it.
_RECORDS_WORDS = (
    "giay chung nhan quyen su dung",
    "the chap",
    "dia chinh",
    "gia dat",
    "don gia thue",
    "tien thue dat",
    "trich do",
    "ban do",
    "dinh chinh",
    "gia han",
    "khau tru",
    "mien tien thue",
    "dua dat vao su dung",
)
_CLEARANCE_WORDS = (
    "giai phong mat bang",
    "boi thuong",
    "ban giao",
    "tai dinh cu",
    "thu hoi",
    "lan chiem",
    "cuong che",
    "ho dan",
    "nguoi dan",
    "mo phan",
    "ngoi mo",
    "kiem dem",
    "mat bang",
)
_PLAN_WORDS = (
    "quy hoach",
    "chi gioi",
    "mat do xay dung",
    "he so su dung dat",
    "tong mat bang",
    "kien truc",
    "cao do",
    "chi tieu",
)
_PERMIT_WORDS = (
    "giay phep xay dung",
    "tham dinh thiet ke",
    "nghiem thu",
    "cai tao",
    "nha thau",
    "trat tu xay dung",
    "hoan cong",
    "giay phep hoat dong xay dung",
    "kiem dinh",
    "giay phep",
)
_POWER_WORDS = (
    "22kv",
    "110kv",
    "kva",
    "mat dien",
    "cap dien",
    "luoi dien",
    "dien luc",
    "nganh dien",
    "tram bien ap",
    "dien ap",
    "cat dien",
    "dien mat troi",
    "tien dien",
    "cong suat phan khang",
    "cot dien",
    "duong day",
    "evn",
)
_UTILITY_WORDS = (
    "nuoc",
    "ngap",
    "mat duong",
    "duong noi khu",
    "o ga",
    "xe buyt",
    "giao thong",
    "nut giao",
    "chieu sang",
    "cap quang",
    "internet",
    "song dien thoai",
    "song di dong",
    "vien thong",
    "nha mang",
    "duong gom",
    "via he",
    "cau ",
)


def _score(text: str, words: tuple[str, ...]) -> int:
    return sum(text.count(w) for w in words)


def category_agency(category: str, zone_code: str, text: str = "") -> str:
    """The lead agency for a petition of `category` in `zone_code`, refined by its text.

    land: site clearance in Hoa Lac goes to the commune (UBND-HOALAC), land records and prices
    (and every land matter elsewhere) to the Department of Agriculture and Environment;
    construction: planning matters to QHKT-HN, permits to SXD-HN; infrastructure: power to
    EVN-HN, water, roads, transport and telecom to the board.
    """
    t = fold(text)
    if category == "land":
        records = _score(t, _RECORDS_WORDS)
        if zone_code == HHTP and (records == 0 or _score(t, _CLEARANCE_WORDS) > 2 * records):
            return "UBND-HOALAC"
        return "NNMT-HN"
    if category == "construction":
        return "QHKT-HN" if _score(t, _PLAN_WORDS) > _score(t, _PERMIT_WORDS) else "SXD-HN"
    if category == "infrastructure":
        return "EVN-HN" if _score(t, _POWER_WORDS) > _score(t, _UTILITY_WORDS) else "BQL-HN"
    return {
        "investment": "BQL-HN",
        "tax": "THUE-HN",
        "customs": "HQ-HN",
        "labour": "SNV-HN",
        "environment": "NNMT-HN",
        "security": "CA-HN",
    }.get(category, "BQL-HN")


def base_agency(base: Base, zone_code: str) -> str:
    """The lead agency of a bank petition, from its hand-given sub-kind (not from keywords)."""
    if base.category == "land":
        return "UBND-HOALAC" if zone_code == HHTP and base.sub == "clearance" else "NNMT-HN"
    if base.category == "construction":
        return "QHKT-HN" if base.sub == "plan" else "SXD-HN"
    if base.category == "infrastructure":
        return "EVN-HN" if base.sub == "power" else "BQL-HN"
    return category_agency(base.category, zone_code)


# --- generation -------------------------------------------------------------------------------

_FIELD = re.compile(r"{(\w+)}")


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _vn_dec(x: float, digits: int = 1) -> str:
    s = f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return s[: -digits - 1] if s.endswith("," + "0" * digits) else s


class _Values(dict):
    """Placeholder values drawn lazily, once per petition, so unused ones cost no randomness."""

    def __init__(self, rng: random.Random, places: dict):
        super().__init__()
        self.rng = rng
        self.places = places
        self.numbers: dict[str, float] = {}

    def _plot(self) -> str:
        r = self.rng
        return f"{r.choice(self.places['plot_prefixes'])}{r.randint(1, 6)}-{r.randint(1, 24):02d}"

    def _date(self, start: int | None = None) -> tuple[int, str]:
        doy = start if start is not None else self.rng.randint(0, 330)
        month_len = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        d, m = doy, 0
        while d >= month_len[m]:
            d -= month_len[m]
            m += 1
        return doy, f"{d + 1}/{m + 1}"

    def __missing__(self, key: str) -> str:
        r, p = self.rng, self.places
        num = None
        if key == "zone":
            val = p["zone"]
        elif key == "zone_s":
            val = r.choice(p["zone_s"])
        elif key in ("road", "road2"):
            other = self.get("road" if key == "road2" else "road2")
            val = r.choice([x for x in p["roads"] if x != other])
        elif key == "commune":
            val = r.choice(p["communes"])
        elif key == "locality":
            val = r.choice(p["localities"])
        elif key in ("plot", "plot2"):
            val = self._plot()
        elif key == "date":
            doy, val = self._date()
            self.numbers["doy"] = doy
            val = f"ngày {val}"
        elif key == "date2":
            start = int(self.numbers.get("doy", r.randint(0, 300))) + r.randint(10, 60)
            val = f"ngày {self._date(min(start, 364))[1]}"
        elif key == "month":
            val = f"tháng {r.randint(1, 12)}"
        elif key == "workers":
            num = r.choice([r.randint(12, 90), r.randint(90, 400), r.randint(400, 2500)])
            val = _vn_int(num)
        elif key == "experts":
            num = r.randint(2, 14)
            val = str(num)
        elif key == "country":
            val = r.choice(COUNTRIES)
        elif key == "amount":
            num = r.choice([r.randint(20, 150), r.randint(150, 900), r.randint(900, 4000)])
            val = _vn_int(num)
        elif key == "amount_s":
            num = round(r.uniform(0.3, 45), 1)
            val = _vn_dec(num)
        elif key == "usd":
            num = r.choice([r.randint(3, 30), r.randint(30, 250)])
            val = str(num)
        elif key == "usd_k":
            val = _vn_int(r.randint(5, 95) * 10)
        elif key == "ha":
            val = _vn_dec(round(r.uniform(0.6, 35), 1))
        elif key == "m2":
            val = _vn_int(r.randint(5, 400) * 100)
        elif key == "pct":
            val = str(r.randint(4, 16) * 5)
        elif key == "days":
            val = str(r.randint(4, 40))
        elif key == "weeks":
            val = str(r.randint(2, 10))
        elif key == "months_n":
            val = str(r.randint(3, 20))
        elif key == "n":
            val = str(r.randint(2, 9))
        elif key == "households":
            val = str(r.randint(3, 75))
        elif key == "hours":
            val = str(r.randint(2, 16))
        elif key == "hour":
            val = f"{r.randint(0, 23)} giờ {r.choice(['', '15', '30', '45'])}".strip()
        elif key == "kva":
            val = _vn_int(r.choice([630, 1000, 1250, 1600, 2000, 2500, 3200, 4000, 5600]))
        elif key == "mw":
            val = str(r.randint(8, 90))
        elif key == "kwp":
            val = _vn_int(r.randint(3, 60) * 50)
        elif key == "floors":
            val = str(r.randint(7, 16))
        elif key == "mins":
            val = str(r.randint(5, 16) * 5 + 20)
        elif key == "cm":
            val = str(r.randint(3, 14) * 5)
        elif key == "hub":
            val = r.choice(p["hubs"])
        elif key == "substation":
            val = r.choice(p["substations"])
        elif key == "water_plant":
            val = r.choice(p["water_plants"])
        elif key == "secret":
            val = _vn_dec(round(r.uniform(8, 2500), 1))
        elif key == "secret_usd":
            val = str(r.randint(45, 180))
        elif key == "secret_usd_m":
            val = str(r.randint(20, 400))
        elif key == "phone":
            val = f"{r.randint(0, 99_999_999):08d}"
        elif key == "units":
            val = _vn_int(r.randint(20, 900) * 100)
        elif key == "secret_k":
            val = _vn_int(r.randint(5, 400) * 100)
        else:  # an unknown placeholder is a bug in the bank
            raise KeyError(key)
        if num is not None:
            self.numbers[key] = num
        self[key] = val
        return val


def _fill(template: str, values: _Values) -> str:
    return _FIELD.sub(lambda m: values[m.group(1)], template)


def _capitalised(s: str) -> str:
    return s[:1].upper() + s[1:]


def _compose(base: Base, rng: random.Random, places: dict) -> dict:
    v = _Values(rng, places)
    parts = []
    if rng.random() < 0.55:
        parts.append(rng.choice(OPENINGS))
    parts.append(base.body)
    merged = None
    if rng.random() < 0.14:
        others = [c for c in SIDE_CONCERNS if c != base.category]
        merged = rng.choice(others)
        parts.append(rng.choice(SIDE_CONCERNS[merged]))
    if base.urgent and rng.random() < 0.5:
        parts.append(rng.choice(URGENT_CLOSINGS))
    elif rng.random() < 0.65:
        parts.append(rng.choice(CLOSINGS))
    body = " ".join(_fill(p, v) for p in parts)

    prefix = rng.choice(TITLE_PREFIXES)
    suffixes = [s for s in TITLE_SUFFIXES if not ("{plot}" in s and "{plot" in base.title)]
    suffix = rng.choice(suffixes)
    title = _capitalised(_fill(prefix + base.title + suffix, v))

    workers = v.numbers.get("workers")
    if workers is None and base.stop:
        workers = rng.randint(40, 1500)
    at_risk = None
    if base.risk:
        if "amount" in v.numbers:
            at_risk = int(v.numbers["amount"]) * 1_000_000_000
        elif "usd" in v.numbers:
            at_risk = int(v.numbers["usd"]) * 1_000_000 * 25_000
        else:
            at_risk = rng.randint(20, 2000) * 1_000_000_000
    note = ""
    if base.risk or base.stop:
        if rng.random() < 0.4:
            note = _fill(rng.choice(CONFIDENTIAL_NOTES), v)
    elif rng.random() < 0.1:
        note = _fill(rng.choice(PRIVATE_NOTES), v)
    return {
        "title": title,
        "body": body,
        "category": base.category,
        "urgent": base.urgent,
        "impact": {
            "production_stopped": base.stop,
            "workers_affected": int(workers) if workers is not None else None,
            "investment_at_risk_vnd": at_risk,
        },
        "procedure": base.procedure,
        "confidential_note": note,
        "_merged": merged,
    }


def _generate(*, seed: int, count: int, zone_code: str) -> list[tuple[int, dict]]:
    """(index of the base petition in `all_bases()`, petition) pairs; see `generate`."""
    places = ZONE_PLACES.get(zone_code) or ZONE_PLACES[HHTP]
    if zone_code not in ZONE_PLACES:
        places = {**places, "zone": f"khu {zone_code}", "zone_s": [f"khu {zone_code}"]}
    rng = random.Random(f"zonedesk-petitions:{seed}:{zone_code}")
    bases = all_bases()
    eligible = [i for i, b in enumerate(bases) if not b.zones or zone_code in b.zones]
    out: list[tuple[int, dict]] = []
    seen_bodies: set[str] = set()
    order: list[int] = []
    while len(out) < count:
        if not order:
            order = eligible[:]
            rng.shuffle(order)
        i = order.pop()
        for _attempt in range(5):
            item = _compose(bases[i], rng, places)
            if item["body"] not in seen_bodies:
                break
        seen_bodies.add(item["body"])
        item["agency"] = base_agency(bases[i], zone_code)
        out.append((i, item))
    return out


def all_bases() -> list[Base]:
    return [b for items in BANK.values() for b in items]


def generate(*, seed: int, count: int, zone_code: str) -> list[dict]:
    """`count` petitions for `zone_code`, the same for the same arguments.

    Each: title, body, category, agency (lead agency code), urgent, impact (production_stopped,
    workers_affected, investment_at_risk_vnd), procedure, confidential_note ("" or a private
    figure that must never be published).
    """
    keys = ("title", "body", "category", "agency", "urgent", "impact", "procedure", "confidential_note")
    return [{k: item[k] for k in keys} for _i, item in _generate(seed=seed, count=count, zone_code=zone_code)]
