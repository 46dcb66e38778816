"""Wire copy: a few stories that several outlets republish (news agency copy), each with small edits.

A handful of synthetic articles are replaced by an outlet's edition of a wire story: the same reporting with the
outlet's own dateline, a retouched title, a sentence or two changed, added or dropped, and its own credit line.
They are near-duplicates across outlets (never exact duplicates: the texts always differ), which is what the
corpus' near-duplicate detection (crawler/corpus/neardup.py) must link while the store keeps every one of them.

Hooked into :func:`crawler.replica.content._articles` with one call to :func:`republish`; everything else about
the replaced article (URL form, section, publication time, images, byline) stays the site's own.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.replica.content import Block, ReplicaArticle


@dataclasses.dataclass(frozen=True)
class WireStory:
    key: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]


STORIES = {
    story.key: story
    for story in (
        WireStory(
            "mekong",
            "Mực nước sông Mê Kông xuống thấp kỷ lục, Đồng bằng sông Cửu Long chủ động ứng phó hạn mặn",
            "Mực nước trên dòng chính sông Mê Kông đoạn chảy qua Việt Nam đang xuống mức thấp nhất trong nhiều năm, "
            "các tỉnh Đồng bằng sông Cửu Long đã triển khai nhiều biện pháp ứng phó hạn hán và xâm nhập mặn.",
            (
                "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, mực nước tại trạm Tân Châu và Châu Đốc thấp hơn "
                "trung bình nhiều năm từ 0,3 đến 0,5 mét. Độ mặn 4 phần nghìn đã lấn sâu vào đất liền từ 45 đến 60 "
                "km trên các sông Vàm Cỏ, Cửa Tiểu và Hàm Luông.",
                "Tại Bến Tre, tỉnh đã vận hành hệ thống cống ngăn mặn, đồng thời lắp đặt thêm các trạm bơm dã chiến "
                "để tích trữ nước ngọt phục vụ sinh hoạt cho hơn 20.000 hộ dân vùng ven biển.",
                "Ông Nguyễn Văn Hòa, Phó Giám đốc Sở Nông nghiệp và Môi trường Tiền Giang, cho biết địa phương đã "
                "khuyến cáo nông dân xuống giống lúa đông xuân sớm và chuyển đổi những diện tích thường xuyên thiếu "
                "nước sang cây trồng cạn.",
                "Các chuyên gia nhận định nguyên nhân chính là lượng mưa thượng nguồn thấp và việc vận hành các hồ "
                "chứa thủy điện trên dòng chính. Tình trạng này có thể kéo dài đến hết tháng 4 năm sau.",
                "Bộ Nông nghiệp và Môi trường đề nghị các địa phương cập nhật thông tin độ mặn hằng ngày, không để "
                "người dân thiếu nước sinh hoạt và hạn chế tối đa thiệt hại đối với sản xuất nông nghiệp.",
                "Trong mùa khô năm 2020, hạn mặn lịch sử đã khiến hơn 43.000 ha lúa tại vùng Đồng bằng sông Cửu Long "
                "bị thiệt hại, ước tính gây tổn thất khoảng 1.600 tỷ đồng.",
            ),
        ),
        WireStory(
            "apec",
            "Hội nghị Bộ trưởng APEC thông qua tuyên bố chung về thương mại số và chuỗi cung ứng",
            "Kết thúc hai ngày làm việc, các Bộ trưởng Thương mại APEC đã thông qua tuyên bố chung, nhấn mạnh cam "
            "kết duy trì chuỗi cung ứng thông suốt và thúc đẩy thương mại số toàn diện trong khu vực.",
            (
                "Tuyên bố kêu gọi các nền kinh tế thành viên giảm bớt rào cản đối với thương mại điện tử, công nhận "
                "lẫn nhau về chữ ký số và tăng cường khả năng tương thích của hệ thống thanh toán xuyên biên giới.",
                "Phát biểu tại phiên bế mạc, Bộ trưởng Bộ Công Thương Việt Nam nhấn mạnh vai trò của doanh nghiệp nhỏ "
                "và vừa, đề nghị APEC có chương trình hỗ trợ kỹ thuật để các doanh nghiệp này tham gia sâu hơn vào "
                "chuỗi giá trị khu vực.",
                "Các bộ trưởng cũng thống nhất xây dựng cơ chế cảnh báo sớm về gián đoạn chuỗi cung ứng, chia sẻ dữ "
                "liệu về năng lực cảng biển và logistics giữa các nền kinh tế.",
                "Theo Ban Thư ký APEC, thương mại hàng hóa giữa 21 nền kinh tế thành viên năm ngoái đạt khoảng 24.000 "
                "tỷ USD, chiếm gần một nửa tổng kim ngạch thương mại toàn cầu.",
                "Hội nghị lần này cũng dành một phiên thảo luận về chuyển đổi xanh, trong đó nhiều đoàn đề xuất giảm "
                "thuế đối với hàng hóa và dịch vụ môi trường.",
                "Tuyên bố chung sẽ được trình lên Hội nghị các nhà lãnh đạo kinh tế APEC diễn ra vào tháng tới.",
            ),
        ),
        WireStory(
            "metro",
            "Tuyến đường sắt đô thị Nhổn - ga Hà Nội đón hơn 10 triệu lượt khách sau một năm vận hành",
            "Sau một năm chính thức khai thác đoạn trên cao, tuyến đường sắt đô thị Nhổn - ga Hà Nội đã phục vụ hơn "
            "10 triệu lượt hành khách, trung bình khoảng 28.000 lượt mỗi ngày.",
            (
                "Theo Công ty TNHH MTV Đường sắt Hà Nội, tỷ lệ chuyến tàu đúng giờ đạt 99,9%, không xảy ra sự cố "
                "mất an toàn nào trong suốt thời gian vận hành.",
                "Lượng khách tăng mạnh vào giờ cao điểm sáng và chiều, chủ yếu là học sinh, sinh viên và người "
                "lao động di chuyển từ khu vực phía Tây vào trung tâm thành phố.",
                "Để tăng kết nối, thành phố đã điều chỉnh 15 tuyến xe buýt có điểm dừng gần các nhà ga, đồng thời bố "
                "trí thêm bãi gửi xe đạp, xe máy tại ga Cầu Giấy và ga Đại học Quốc gia.",
                "Đoạn đi ngầm từ ga Kim Mã đến ga Hà Nội dài khoảng 4 km đang được đẩy nhanh tiến độ, dự kiến hoàn "
                "thành trong năm 2027.",
                "Hành khách có thể thanh toán vé bằng thẻ ngân hàng, ví điện tử và căn cước công dân gắn chip, giúp "
                "rút ngắn thời gian qua cửa soát vé.",
                "Sở Xây dựng Hà Nội cho biết sẽ tiếp tục khảo sát nhu cầu đi lại để tăng tần suất chạy tàu lên 6 phút "
                "một chuyến vào giờ cao điểm.",
            ),
        ),
        WireStory(
            "typhoon",
            "Bão số 9 đổ bộ đất liền, các tỉnh miền Trung khẩn trương khắc phục hậu quả",
            "Bão số 9 đã đổ bộ vào khu vực Đà Nẵng - Quảng Ngãi với sức gió mạnh cấp 11, giật cấp 13, gây mưa lớn "
            "trên diện rộng và làm hàng nghìn ngôi nhà bị tốc mái.",
            (
                "Theo báo cáo nhanh của Ban Chỉ huy phòng thủ dân sự các địa phương, bão làm 3 người bị thương, hơn "
                "2.400 ngôi nhà bị hư hại và nhiều tuyến đường bị cây đổ chắn ngang.",
                "Ngay sau khi bão tan, lực lượng quân đội, công an và thanh niên tình nguyện đã được huy động giúp "
                "người dân dọn dẹp nhà cửa, khơi thông cống rãnh và khắc phục lưới điện.",
                "Tại Đà Nẵng, ngành điện đã khôi phục cấp điện cho khoảng 70% số khách hàng trong đêm, phần còn lại "
                "dự kiến được cấp điện trở lại trong ngày hôm sau.",
                "Trung tâm Dự báo khí tượng thủy văn quốc gia cảnh báo mưa lớn còn kéo dài đến hết ngày mai, nguy cơ "
                "lũ quét và sạt lở đất ở vùng núi các tỉnh Quảng Nam, Quảng Ngãi và Kon Tum.",
                "Thủ tướng Chính phủ đã yêu cầu các bộ, ngành hỗ trợ kịp thời lương thực, nước uống cho người dân, "
                "không để ai bị đói, rét sau bão.",
                "Các trường học tại vùng bị ảnh hưởng tạm cho học sinh nghỉ học, sẽ đi học trở lại khi bảo đảm "
                "an toàn.",
            ),
        ),
    )
}

#: (outlet, synthetic index k) -> (story, edition): which synthetic article becomes which outlet's edition.
EDITIONS: dict[tuple[str, int], tuple[str, int]] = {
    ("antv", 3): ("mekong", 0),
    ("clo", 4): ("mekong", 1),
    ("kinhtedothi", 5): ("mekong", 2),
    ("clo", 8): ("apec", 0),
    ("tgvn", 7): ("apec", 1),
    ("kinhtedothi", 10): ("metro", 0),
    ("antv", 9): ("metro", 1),
    ("tgvn", 16): ("typhoon", 0),
    ("antv", 17): ("typhoon", 1),
    ("clo", 18): ("typhoon", 2),
}

_TITLE_EDITS = (
    lambda title: title,
    lambda title: title.replace(", ", ": ", 1) if ", " in title else title + " trong năm nay",
    lambda title: title[0].upper() + title[1:] + " - cập nhật",
)
_CREDITS = ("Theo TTXVN.", "(Nguồn: TTXVN)", "TTXVN/Vietnam+")


def edition_text(story: WireStory, edition: int) -> tuple[str, str, list[str]]:
    """Title, lead (without dateline) and paragraphs of one outlet's edition: small, deterministic edits (the
    agency credit is added under them by :func:`_edition`)."""
    title = _TITLE_EDITS[edition % len(_TITLE_EDITS)](story.title)
    paragraphs = list(story.paragraphs)
    if edition % 3 == 1:
        paragraphs.pop()  # a trimmed edition: the closing background paragraph dropped
        paragraphs[1] = paragraphs[1].replace("đã ", "vừa ", 1)
    elif edition % 3 == 2:
        paragraphs.insert(3, "Phóng viên tại chỗ ghi nhận người dân đã chủ động chuẩn bị từ nhiều ngày trước.")
    return title, story.lead, paragraphs


@cache
def _edition(outlet: str, k: int) -> ReplicaArticle:
    from crawler.replica.content import synthetic_article
    from crawler.replica.sites import site_class

    article = synthetic_article(outlet, k)

    story_key, edition = EDITIONS[(outlet, k)]
    site = site_class(outlet)
    title, lead, paragraphs = edition_text(STORIES[story_key], edition)
    section = next(section for section in site.sections if section.slug == article.section)
    published = article.published_dt
    assert published is not None, "synthetic articles are dated"
    path, native_id = site.article_path(section, title, k, published)
    blocks: list[Block] = [("p", text) for text in paragraphs]
    for index in reversed(range(len(article.images))):
        blocks.insert(1 + index * (len(blocks) // 2), ("img", index))
    # The agency credit closes the text as printed; like a byline it is attribution, not article text.
    blocks.append(("p", _CREDITS[edition % len(_CREDITS)]))
    return dataclasses.replace(
        article,
        url=site.home.rstrip("/") + path,
        native_id=native_id,
        title=title,
        lead=site.dateline + lead,
        body=paragraphs,
        blocks=blocks,
        image_alts=[site.image_alt(title, i) for i in range(len(article.images))],
    )


def edition_urls() -> frozenset[str]:
    """The URLs of every outlet's edition of a wire story (what near-duplicate detection must link)."""
    return frozenset(_edition(outlet, k).url for outlet, k in EDITIONS)


def republish(outlet: str, k: int, article: ReplicaArticle) -> ReplicaArticle:
    # ``article`` is synthetic_article(outlet, k); the edition is cached by (outlet, k) like it.
    """Synthetic article ``k`` of ``outlet``, or the outlet's edition of a wire story when one takes its place."""
    if (outlet, k) not in EDITIONS:
        return article
    return _edition(outlet, k)
