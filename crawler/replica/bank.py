"""Word and sentence banks for the synthetic replica articles: Vietnamese news prose, grouped by topic.

Titles are built from fixed-size slot lists (``TITLE_SLOTS`` templates x ``PLACES`` x ``SUBJECTS`` x numbers) so that
an article index maps to a title through a bijection: titles are unique by construction, not by luck. Keep the
list sizes as asserted at the bottom when editing.
"""

from __future__ import annotations

DOMESTIC_PLACES = (
    "Hà Nội",
    "TP Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "Huế",
    "Quảng Ninh",
    "Lào Cai",
    "Nghệ An",
    "Thanh Hóa",
    "Lâm Đồng",
    "Khánh Hòa",
    "Đồng Nai",
    "Bắc Ninh",
    "Gia Lai",
    "Đắk Lắk",
    "An Giang",
    "Cà Mau",
    "Thái Nguyên",
    "Quảng Ngãi",
    "Tây Ninh",
    "Vĩnh Long",
    "Ninh Bình",
    "Hưng Yên",
)
FOREIGN_PLACES = (
    "Mỹ",
    "Nga",
    "Trung Quốc",
    "Nhật Bản",
    "Hàn Quốc",
    "Ấn Độ",
    "Pháp",
    "Đức",
    "Anh",
    "Italy",
    "Ukraine",
    "Ba Lan",
    "Brazil",
    "Australia",
    "Indonesia",
    "Thái Lan",
    "Philippines",
    "Israel",
    "Iran",
    "Ai Cập",
    "Nam Phi",
    "Canada",
    "Mexico",
    "Thổ Nhĩ Kỳ",
)

# topic -> (places, subjects, title templates, topic sentences)
# Every title template uses {place}, {subject} and {n}: that is what makes the title a bijection of its slots.
TOPICS: dict[str, dict] = {
    "politics": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "cải cách hành chính",
            "chuyển đổi số",
            "công tác cán bộ",
            "phòng, chống tham nhũng",
            "xây dựng Đảng",
            "thực hành tiết kiệm",
            "sắp xếp đơn vị hành chính",
            "thu hút đầu tư",
            "an sinh xã hội",
            "phát triển kinh tế tư nhân",
            "bảo vệ nền tảng tư tưởng",
            "đối ngoại nhân dân",
        ),
        "titles": (
            "{place} đặt mục tiêu hoàn thành {n} nhiệm vụ trọng tâm về {subject}",
            "Đoàn công tác Trung ương kiểm tra {n} đơn vị của {place} về {subject}",
            "Hội nghị lần thứ {n} bàn giải pháp đẩy mạnh {subject} tại {place}",
            "{place}: Sơ kết {n} tháng thực hiện nghị quyết về {subject}",
            "Đại biểu Quốc hội tiếp xúc cử tri {place}, ghi nhận {n} kiến nghị về {subject}",
            "Lãnh đạo {place} chỉ ra {n} điểm nghẽn trong {subject}",
        ),
        "sentences": (
            "Hội nghị đã thống nhất cao về chủ trương, đồng thời phân công cụ thể trách nhiệm cho từng cơ quan, đơn vị.",
            "Các đại biểu cho rằng việc nâng cao chất lượng đội ngũ cán bộ là yếu tố quyết định thành công.",
            "Báo cáo nêu rõ một số địa phương còn lúng túng trong tổ chức thực hiện, chưa bám sát thực tiễn.",
            "Lãnh đạo tỉnh yêu cầu các sở, ngành khẩn trương rà soát, hoàn thiện văn bản hướng dẫn trong tháng tới.",
            "Công tác kiểm tra, giám sát được tăng cường, góp phần siết chặt kỷ luật, kỷ cương hành chính.",
            "Người đứng đầu cơ quan, đơn vị phải chịu trách nhiệm trước cấp ủy nếu để xảy ra chậm trễ kéo dài.",
            "Nhiều mô hình hay, cách làm sáng tạo từ cơ sở đã được biểu dương và đề nghị nhân rộng.",
            "Việc lấy ý kiến nhân dân được thực hiện công khai, minh bạch trên cổng thông tin điện tử của tỉnh.",
        ),
    },
    "law": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "lừa đảo qua mạng",
            "buôn lậu thuốc lá",
            "tín dụng đen",
            "ma túy tổng hợp",
            "hàng giả",
            "đánh bạc trực tuyến",
            "trộm cắp xe máy",
            "khai thác cát trái phép",
            "mua bán hóa đơn",
            "cho vay nặng lãi",
            "làm giả giấy tờ",
            "buôn bán pháo nổ",
        ),
        "titles": (
            "Công an {place} triệt phá đường dây {subject}, bắt giữ {n} đối tượng",
            "Khởi tố {n} bị can trong vụ án {subject} tại {place}",
            "{place}: Cảnh báo thủ đoạn mới về {subject} sau {n} vụ việc",
            "Xử lý {n} trường hợp liên quan đến {subject} ở {place}",
            "Truy tìm nhóm đối tượng {subject} chiếm đoạt hơn {n} tỷ đồng tại {place}",
            "Tòa án {place} xét xử {n} bị cáo trong vụ {subject}",
        ),
        "sentences": (
            "Cơ quan Cảnh sát điều tra đã ra quyết định khởi tố vụ án, khởi tố bị can và thi hành lệnh bắt tạm giam.",
            "Tại cơ quan công an, các đối tượng đã khai nhận toàn bộ hành vi phạm tội của mình.",
            "Qua công tác nắm tình hình, lực lượng chức năng phát hiện nhóm đối tượng có nhiều biểu hiện nghi vấn.",
            "Số tang vật thu giữ gồm nhiều điện thoại di động, máy tính xách tay và sổ sách ghi chép giao dịch.",
            "Công an khuyến cáo người dân không cung cấp mã OTP, thông tin tài khoản ngân hàng cho bất kỳ ai.",
            "Vụ việc đang được tiếp tục điều tra, mở rộng để xử lý nghiêm theo quy định của pháp luật.",
            "Các đối tượng hoạt động tinh vi, thường xuyên thay đổi địa điểm để tránh sự phát hiện của cơ quan chức năng.",
            "Theo cáo trạng, trong thời gian ngắn nhóm này đã thực hiện hàng chục giao dịch với số tiền rất lớn.",
        ),
    },
    "society": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "chăm sóc người cao tuổi",
            "bảo hiểm y tế học sinh",
            "nước sạch nông thôn",
            "nhà ở xã hội",
            "phòng chống đuối nước",
            "khám chữa bệnh từ xa",
            "tuyển sinh đầu cấp",
            "hiến máu tình nguyện",
            "dạy nghề cho lao động nông thôn",
            "xóa nhà tạm",
            "dinh dưỡng học đường",
            "tiêm chủng mở rộng",
        ),
        "titles": (
            "{place} dành {n} tỷ đồng cho chương trình {subject}",
            "Hơn {n} nghìn người dân {place} hưởng lợi từ {subject}",
            "{place} đề xuất {n} giải pháp nâng cao hiệu quả {subject}",
            "Ra quân đợt {n} chiến dịch {subject} tại {place}",
            "Chuyện ở {place}: {n} năm bền bỉ với {subject}",
            "Những con số biết nói về {subject} ở {place} sau {n} tháng triển khai",
        ),
        "sentences": (
            "Nhiều gia đình khó khăn đã có thêm điều kiện để ổn định cuộc sống, yên tâm lao động sản xuất.",
            "Chính quyền địa phương phối hợp với các tổ chức đoàn thể rà soát từng trường hợp cụ thể.",
            "Tại các điểm tiếp nhận, cán bộ y tế hướng dẫn người dân thực hiện thủ tục nhanh gọn, thuận tiện.",
            "Nhiều phụ huynh bày tỏ phấn khởi khi con em được học tập trong môi trường khang trang, an toàn.",
            "Ngành lao động đã tổ chức các phiên giao dịch việc làm lưu động ngay tại xã, phường.",
            "Chương trình nhận được sự hưởng ứng tích cực của đông đảo đoàn viên, thanh niên và các nhà hảo tâm.",
            "Đến nay, tỷ lệ hộ dân được tiếp cận dịch vụ cơ bản đã tăng đáng kể so với đầu nhiệm kỳ.",
            "Một số nơi vẫn còn tình trạng thiếu giáo viên, thiếu trang thiết bị, cần sớm được bổ sung.",
        ),
    },
    "economy": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "xuất khẩu nông sản",
            "tín dụng xanh",
            "giải ngân vốn đầu tư công",
            "thương mại điện tử",
            "doanh nghiệp nhỏ và vừa",
            "du lịch quốc tế",
            "chuyển đổi năng lượng",
            "trái phiếu doanh nghiệp",
            "khu công nghiệp",
            "thanh toán không dùng tiền mặt",
            "dịch vụ logistics",
            "kinh tế đêm",
        ),
        "titles": (
            "{place}: Doanh thu {subject} tăng {n}% trong quý gần nhất",
            "Thu hút {n} dự án mới, {place} tạo đà cho {subject}",
            "Doanh nghiệp {place} kỳ vọng gì ở {subject} sau {n} tháng?",
            "{place} tháo gỡ {n} vướng mắc trong {subject}",
            "Diễn đàn lần thứ {n} về {subject} diễn ra tại {place}",
            "Ngân hàng dành {n} nghìn tỷ đồng hỗ trợ {subject} tại {place}",
        ),
        "sentences": (
            "Theo các chuyên gia, dư địa tăng trưởng của lĩnh vực này vẫn còn rất lớn trong những năm tới.",
            "Nhiều doanh nghiệp đã chủ động đổi mới công nghệ, mở rộng thị trường sang châu Âu và Trung Đông.",
            "Lãi suất cho vay bình quân tiếp tục giảm, tạo điều kiện để doanh nghiệp tiếp cận nguồn vốn.",
            "Chỉ số sản xuất công nghiệp trong tháng tăng so với cùng kỳ, chủ yếu nhờ nhóm ngành chế biến, chế tạo.",
            "Giới phân tích khuyến cáo nhà đầu tư thận trọng trước những biến động khó lường của thị trường thế giới.",
            "Tỉnh cam kết đồng hành, tạo mọi điều kiện thuận lợi nhất cho nhà đầu tư triển khai dự án.",
            "Kim ngạch xuất khẩu sang các thị trường có hiệp định thương mại tự do tăng trưởng khá.",
            "Sức mua trong nước dần phục hồi, đặc biệt ở nhóm hàng tiêu dùng thiết yếu và dịch vụ ăn uống.",
        ),
    },
    "world": {
        "places": FOREIGN_PLACES,
        "subjects": (
            "an ninh năng lượng",
            "lệnh ngừng bắn",
            "thỏa thuận thương mại",
            "viện trợ nhân đạo",
            "biến đổi khí hậu",
            "kiểm soát vũ khí",
            "chuỗi cung ứng",
            "bầu cử quốc hội",
            "di cư trái phép",
            "hợp tác quốc phòng",
            "trừng phạt kinh tế",
            "an ninh lương thực",
        ),
        "titles": (
            "{place} công bố {n} biện pháp mới về {subject}",
            "Ngoại trưởng {place} nêu {n} ưu tiên trong {subject}",
            "Hơn {n} quốc gia ủng hộ sáng kiến của {place} về {subject}",
            "{place} và đối tác ký {n} văn kiện hợp tác về {subject}",
            "Tranh cãi quanh {subject}: {place} đưa ra {n} điều kiện",
            "Chuyên gia nhận định {n} kịch bản cho {subject} của {place}",
        ),
        "sentences": (
            "Giới quan sát nhận định động thái này có thể làm thay đổi cục diện an ninh khu vực trong thời gian tới.",
            "Người phát ngôn Bộ Ngoại giao nước này khẳng định lập trường nhất quán, kêu gọi các bên kiềm chế.",
            "Hội đồng Bảo an Liên hợp quốc dự kiến nhóm họp khẩn để thảo luận về những diễn biến mới nhất.",
            "Các nhà lãnh đạo nhất trí tăng cường phối hợp, chia sẻ thông tin để ứng phó với thách thức chung.",
            "Theo hãng tin Reuters, cuộc đàm phán kéo dài nhiều giờ nhưng chưa đạt được kết quả cụ thể.",
            "Liên minh châu Âu cho biết sẽ tiếp tục theo dõi sát tình hình và sẵn sàng đưa ra phản ứng phù hợp.",
            "Giá dầu thế giới biến động mạnh ngay sau khi thông tin được công bố.",
            "Nhiều tổ chức quốc tế bày tỏ quan ngại về tác động nhân đạo đối với dân thường.",
        ),
    },
    "culture": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "lễ hội truyền thống",
            "di sản phi vật thể",
            "nghệ thuật tuồng",
            "sách thiếu nhi",
            "điện ảnh độc lập",
            "bảo tàng số",
            "âm nhạc dân gian",
            "nghề gốm cổ truyền",
            "ẩm thực đường phố",
            "mỹ thuật đương đại",
            "áo dài",
            "nghệ thuật ca trù",
        ),
        "titles": (
            "{place} tổ chức tuần lễ {subject} lần thứ {n}",
            "Hành trình {n} năm đưa {subject} {place} đến với công chúng",
            "{n} nghệ nhân {place} hội ngộ trong ngày hội {subject}",
            "Số hóa {subject}: {place} công bố {n} tư liệu quý",
            "Triển lãm {subject} thu hút {n} nghìn lượt khách tại {place}",
            "{place} trao {n} giải thưởng cho các tác giả về {subject}",
        ),
        "sentences": (
            "Không gian trưng bày được thiết kế gần gũi, giúp công chúng, nhất là giới trẻ, dễ dàng tiếp cận.",
            "Các nghệ nhân lớn tuổi say sưa truyền dạy bí quyết nghề cho thế hệ kế cận.",
            "Chương trình nghệ thuật đặc sắc đã để lại nhiều cảm xúc trong lòng khán giả thủ đô.",
            "Ban tổ chức cho biết nhiều hiện vật lần đầu tiên được giới thiệu rộng rãi đến công chúng.",
            "Việc bảo tồn gắn với phát triển du lịch đang mở ra hướng đi bền vững cho di sản.",
            "Nhiều du khách quốc tế tỏ ra thích thú khi được trực tiếp trải nghiệm các hoạt động văn hóa dân gian.",
            "Giới chuyên môn đánh giá cao chất lượng tác phẩm cũng như sự đầu tư nghiêm túc của các tác giả trẻ.",
            "Sự kiện góp phần lan tỏa giá trị văn hóa truyền thống trong đời sống đương đại.",
        ),
    },
    "urban": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "chỉnh trang đô thị",
            "đường sắt đô thị",
            "cải tạo chung cư cũ",
            "chống ngập úng",
            "cây xanh đường phố",
            "xe buýt điện",
            "thu gom rác thải",
            "không gian đi bộ",
            "bãi đỗ xe ngầm",
            "cấp nước sạch",
            "hạ ngầm đường dây điện",
            "công viên ven sông",
        ),
        "titles": (
            "{place} chi {n} tỷ đồng cho dự án {subject}",
            "Người dân {place} mong chờ {subject} sau {n} năm",
            "{place} lập {n} tổ công tác giám sát {subject}",
            "Đến năm 2030, {place} hoàn thành {n} hạng mục {subject}",
            "Góp ý quy hoạch {subject}: {place} nhận {n} ý kiến phản biện",
            "{place} thí điểm {subject} trên {n} tuyến phố",
        ),
        "sentences": (
            "Nhiều tuyến phố sau khi được cải tạo đã trở nên khang trang, sạch đẹp, thu hút người dân đến vui chơi.",
            "Đơn vị thi công cam kết bảo đảm an toàn giao thông, hạn chế tối đa ảnh hưởng tới sinh hoạt của người dân.",
            "Sở Xây dựng đã có văn bản đôn đốc các chủ đầu tư đẩy nhanh tiến độ, hoàn thành đúng hạn.",
            "Theo quy hoạch, khu vực này sẽ được bổ sung thêm nhiều không gian công cộng và bãi đỗ xe.",
            "Mỗi khi mưa lớn, tình trạng ngập úng cục bộ vẫn xảy ra tại một số nút giao trọng điểm.",
            "Việc giải phóng mặt bằng cơ bản hoàn thành nhờ sự đồng thuận cao của các hộ dân.",
            "Các chuyên gia quy hoạch đề nghị cần tính toán kỹ kết nối giao thông giữa khu vực trung tâm và vùng ven.",
            "Thành phố sẽ công khai tiến độ từng dự án để người dân cùng theo dõi, giám sát.",
        ),
    },
    "reader": {
        "places": DOMESTIC_PLACES,
        "subjects": (
            "đơn thư phản ánh",
            "dự án chậm tiến độ",
            "ô nhiễm tiếng ồn",
            "lấn chiếm vỉa hè",
            "cấp sổ đỏ",
            "đền bù giải phóng mặt bằng",
            "điện sinh hoạt",
            "rác thải xây dựng",
            "tuyến đường xuống cấp",
            "nước sinh hoạt",
            "chợ tạm",
            "thủ tục hộ tịch",
        ),
        "titles": (
            "Bạn đọc {place} phản ánh {n} điểm nóng về {subject}",
            "Vì sao hồ sơ {subject} ở {place} kéo dài {n} tháng?",
            "{place}: Người dân bức xúc vì {subject} kéo dài {n} tuần",
            "Sau phản ánh của bạn đọc, {place} xử lý dứt điểm {n} vụ {subject}",
            "Chính quyền {place} trả lời {n} câu hỏi của bạn đọc về {subject}",
            "Thư bạn đọc: {n} kiến nghị về {subject} tại {place}",
        ),
        "sentences": (
            "Theo phản ánh của bạn đọc, tình trạng này đã kéo dài nhiều tháng nhưng chưa được xử lý dứt điểm.",
            "Phóng viên đã có mặt tại hiện trường và ghi nhận đúng như nội dung người dân phản ánh.",
            "Trao đổi với phóng viên, đại diện UBND phường cho biết sẽ kiểm tra, xử lý trong tuần tới.",
            "Nhiều hộ dân mong muốn cơ quan chức năng sớm vào cuộc để trả lại sự yên bình cho khu dân cư.",
            "Hồ sơ của gia đình đã được nộp đầy đủ từ lâu nhưng đến nay vẫn chưa nhận được phản hồi.",
            "Luật sư cho rằng người dân có quyền khiếu nại nếu quyền lợi hợp pháp của mình bị xâm phạm.",
            "Chúng tôi sẽ tiếp tục theo dõi và thông tin đến bạn đọc kết quả giải quyết vụ việc.",
            "Cơ quan chức năng đã lập biên bản, yêu cầu chủ đầu tư khắc phục ngay các tồn tại.",
        ),
    },
}

# Sentences that fit any topic; they carry most of the length of a body.
GENERIC_SENTENCES = (
    "Đây là lần đầu tiên một chương trình quy mô như vậy được tổ chức trên địa bàn.",
    "Theo kế hoạch, các nội dung sẽ được triển khai đồng bộ từ nay đến hết năm.",
    "Kết quả này cho thấy nỗ lực rất lớn của cả hệ thống chính trị và sự đồng lòng của người dân.",
    "Tuy nhiên, quá trình thực hiện vẫn còn không ít khó khăn, vướng mắc cần được tháo gỡ kịp thời.",
    "Các đơn vị liên quan được yêu cầu báo cáo kết quả trước ngày 15 hằng tháng.",
    "Nhiều ý kiến cho rằng cần có cơ chế đặc thù để tạo đột phá trong giai đoạn tới.",
    "Trong bối cảnh còn nhiều thách thức, việc giữ vững đà tăng trưởng là kết quả đáng ghi nhận.",
    "Công tác tuyên truyền được đẩy mạnh trên các nền tảng số, tiếp cận hàng triệu lượt người xem.",
    "Dự kiến trong quý tới, chương trình sẽ được mở rộng ra nhiều địa phương khác.",
    "Những con số trên phản ánh rõ hiệu quả của các giải pháp đã được áp dụng trong thời gian qua.",
    "Ông cũng lưu ý cần tránh tình trạng hình thức, chạy theo thành tích.",
    "Phát biểu tại buổi làm việc, bà nhấn mạnh yêu cầu phải lấy người dân làm trung tâm.",
    "Sau hơn một năm triển khai, nhiều chỉ tiêu đã về đích sớm so với kế hoạch đề ra.",
    "Bên cạnh đó, nguồn lực tài chính dành cho lĩnh vực này vẫn còn khá hạn chế.",
    "Đáng chú ý, tỷ lệ hồ sơ được giải quyết đúng hạn đạt trên 98%.",
    "Cơ quan chức năng cho biết sẽ tiếp tục theo dõi, đánh giá và điều chỉnh khi cần thiết.",
    "Hội nghị cũng dành thời gian thảo luận về những bài học kinh nghiệm rút ra từ thực tiễn.",
    "Theo đánh giá chung, chất lượng công việc ngày càng được nâng lên rõ rệt.",
    "Thời tiết thuận lợi cũng góp phần giúp tiến độ các công việc được bảo đảm.",
    "Việc ứng dụng công nghệ thông tin đã giúp rút ngắn đáng kể thời gian xử lý.",
    "Nhiều chuyên gia đánh giá đây là bước đi đúng hướng, phù hợp với xu thế chung.",
    "Các bên cam kết sẽ phối hợp chặt chẽ để bảo đảm hiệu quả, tránh chồng chéo.",
    "Số liệu thống kê cho thấy xu hướng tích cực được duy trì liên tục trong ba tháng gần đây.",
    "Thông tin chi tiết sẽ được công bố trong buổi họp báo dự kiến diễn ra vào cuối tuần.",
    "Trước đó, cơ quan chức năng đã nhiều lần kiểm tra, nhắc nhở nhưng tình hình chưa chuyển biến.",
    "Cũng tại buổi làm việc, các đại biểu đã nêu nhiều kiến nghị xác đáng.",
    "Lực lượng chức năng túc trực thường xuyên để kịp thời hỗ trợ người dân khi cần.",
    "Mục tiêu đặt ra là đến cuối năm, tỷ lệ hài lòng của người dân đạt ít nhất 90%.",
)

# Emphasised quotations, rendered as <blockquote> on some pages.
QUOTES = (
    "“Chúng tôi xác định đây là nhiệm vụ chính trị quan trọng, phải làm quyết liệt, làm đến nơi đến chốn”, ông nói.",
    "“Không có vùng cấm, không có ngoại lệ trong xử lý vi phạm”, đại diện cơ quan chức năng khẳng định.",
    "“Người dân là chủ thể, là trung tâm của mọi chính sách”, bà nhấn mạnh.",
    "“Kết quả hôm nay là nền tảng quan trọng để chúng tôi bước vào giai đoạn mới với quyết tâm cao hơn”, ông chia sẻ.",
    "“Chúng tôi mong muốn nhận được nhiều hơn nữa sự đồng hành của cộng đồng doanh nghiệp”, vị lãnh đạo cho biết.",
    "“Mọi quyết định đều phải dựa trên lợi ích lâu dài của người dân”, người phát ngôn nói với báo giới.",
    "“Thời gian không còn nhiều, các đơn vị phải chạy nước rút để về đích đúng hẹn”, ông yêu cầu.",
    "“Đây là bài học kinh nghiệm quý cho nhiều địa phương khác”, một chuyên gia nhận định.",
)

SUBHEADINGS = (
    "Nhiều chuyển biến tích cực",
    "Còn không ít khó khăn",
    "Giải pháp cho giai đoạn tới",
    "Quyết liệt từ cơ sở",
    "Lan tỏa mô hình hay",
    "Kỳ vọng từ người dân",
    "Bài học kinh nghiệm",
    "Những con số ấn tượng",
    "Không để ai bị bỏ lại phía sau",
    "Cần sự vào cuộc đồng bộ",
    "Hướng tới mục tiêu bền vững",
    "Tháo gỡ điểm nghẽn",
)

# Lead sentences; like the titles they use the article's own slots, so each lead is unique.
LEADS = (
    "Ngày {day}, {place} tổ chức hội nghị đánh giá kết quả về {subject}, xác định {n} nội dung cần tập trung chỉ đạo trong thời gian tới.",
    "Trước yêu cầu ngày càng cao của thực tiễn, {subject} đang được {place} xem là nhiệm vụ then chốt, với {n} chỉ tiêu cụ thể được giao cho từng đơn vị.",
    "Theo báo cáo công bố ngày {day}, {place} ghi nhận nhiều chuyển biến tích cực trong {subject}, song vẫn còn {n} vấn đề cần sớm tháo gỡ.",
    "Câu chuyện về {subject} tại {place} đang thu hút sự quan tâm của dư luận khi có tới {n} kiến nghị được gửi đến cơ quan chức năng chỉ trong ít tuần.",
    "Chiều {day}, thông tin từ {place} cho biết đã có {n} kết quả nổi bật liên quan đến {subject}, mở ra kỳ vọng về những bước tiến mới.",
)

# "{figure}" gives every body a sentence no other article has (index-derived), so text-hash deduplication
# never merges two replica articles.
FACT_SENTENCES = (
    "Theo số liệu tổng hợp đến ngày {day}, tổng cộng {figure} hồ sơ liên quan đã được tiếp nhận và xử lý.",
    "Tính từ đầu năm đến ngày {day}, đã có {figure} lượt người dân được hưởng lợi trực tiếp.",
    "Số liệu cập nhật ngày {day} cho thấy tổng giá trị ước đạt {figure} triệu đồng, tăng so với cùng kỳ.",
    "Đến ngày {day}, cơ quan chức năng đã thống kê được {figure} trường hợp, phần lớn tập trung ở khu vực trung tâm.",
)

CAPTIONS = (
    "Quang cảnh buổi làm việc tại {place}.",
    "Các đại biểu trao đổi bên lề hội nghị tại {place}.",
    "Lực lượng chức năng kiểm tra thực tế tại {place}.",
    "Người dân {place} theo dõi thông tin về {subject}.",
    "Toàn cảnh hội nghị về {subject}.",
    "Một góc {place} nhìn từ trên cao.",
)

AUTHORS = (
    "Minh Vương",
    "Hà Trang",
    "Thu Hằng",
    "Nguyễn Hoàng",
    "Lê Minh",
    "Phạm Thảo",
    "Quang Anh",
    "Ngọc Mai",
    "Đức Thành",
    "Hoài Nam",
    "Bảo Châu",
    "Trần Phương",
    "Vũ Đăng Minh",
    "Khánh Linh",
    "Hồng Hạnh",
    "Thanh Tùng",
)

# --- hard cases (content.HardCase): page shapes beyond the ordinary news story --------------------------------------

# Title prefixes the outlets print on photo and video stories (part of the title, not a kicker).
PHOTO_TITLE_PREFIX = "Chùm ảnh: "
VIDEO_TITLE_PREFIX = "[Video] "

PHOTO_LEADS = (
    "Những hình ảnh ghi lại tại {place} cho thấy không khí khẩn trương của {subject} trong ngày {day}.",
    "Chùm ảnh ghi nhận tại {place} ngày {day}, khi {subject} bước vào giai đoạn cao điểm với {n} hoạt động.",
)
VIDEO_LEADS = (
    "Ngày {day}, {place} triển khai {n} nội dung trọng tâm về {subject}. Mời quý vị theo dõi chi tiết trong video.",
    "Video ghi lại diễn biến mới nhất về {subject} tại {place} trong ngày {day}, với {n} điểm đáng chú ý.",
)
# A bulletin chains several short stories; its lead announces them. {headline} is the first story's headline.
BULLETIN_TITLES = (
    "Điểm tin ngày {day}: {headline}",
    "Bản tin sáng {day}: {headline}",
)
BULLETIN_LEADS = (
    "Bản tin ngày {day} điểm lại {count} thông tin đáng chú ý, mở đầu là tin “{headline}”.",
    "Trong bản tin ngày {day}, mời quý độc giả theo dõi {count} tin nổi bật, trước hết là tin “{headline}”.",
)
# Photographers credited in captions ("Ảnh: ..."), agencies credited as sources ("(Nguồn: ...)").
PHOTOGRAPHERS = ("Thanh Hải", "Đỗ Hương", "Khánh Huy", "Lê Bảo", "Ngọc Diệp", "Hoàng Long")
PHOTO_SOURCES = ("Reuters", "AFP", "TTXVN", "AP", "Getty Images", "Xinhua")

for _topic, _spec in TOPICS.items():
    assert len(_spec["places"]) == 24 and len(_spec["subjects"]) == 12 and len(_spec["titles"]) == 6, _topic
    assert len(_spec["sentences"]) == 8, _topic
