"""The pages of a PDF scan, drawn as images when it is stored: bounded in pages and pixels, kept
privately like the scan, served only under the scan's rules; a PDF that cannot be drawn is refused
at upload; scans stored before the pages existed get them from `render_scan_pages`."""

import io
import os
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from reportlab.pdfgen import canvas

from apoyo.accounts.models import AccessLog, Role
from apoyo.supports.models import CedulaScan, CedulaScanPage
from apoyo.supports.scans import MAX_PAGE_SIDE, add_scan, support_images
from apoyo.supports.services import open_cedula, remove_own_scan
from apoyo.testing.factories import PERIOD_START, make_aspirant, make_user, precaptured
from apoyo.testing.files import PDF, png, uploaded

pytestmark = pytest.mark.django_db

LETTER = (612, 792)  # points: 8.5 × 11 in


def pdf(pages=3, size=LETTER, password=None):
    """A real PDF of `pages` pages, each saying its number."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=size, encrypt=password)
    for number in range(1, pages + 1):
        document.setFont("Helvetica-Bold", 48)
        document.drawString(72, size[1] - 144, f"Página {number}")
        document.showPage()
    document.save()
    return buffer.getvalue()


@pytest.fixture
def aspirant():
    return make_aspirant(with_user=True)


@pytest.fixture
def cedula(aspirant):
    cedula, _ = open_cedula(aspirant.user, aspirant, "P-1", PERIOD_START)
    return cedula


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_page_of_a_pdf_is_drawn_at_150_dpi_and_kept_privately(aspirant, cedula, settings):
    scan = add_scan(aspirant.user, cedula, uploaded("cedula.pdf", pdf(3)))
    pages = list(scan.pages.all())
    assert [page.number for page in pages] == [1, 2, 3]
    for page in pages:
        assert (page.width, page.height) == (1275, 1650)  # 8.5 × 11 in at 150 dpi
        assert page.file.name.startswith(f"scans/{aspirant.pk}/pages/")
        assert page.file.name.endswith(".jpg") and "cedula" not in page.file.name
        with page.file.open("rb") as handle:
            image = Image.open(handle)
            assert (image.format, image.size) == ("JPEG", (page.width, page.height))
        # The size of the image itself: on disk it is encrypted (core.encrypted_storage).
        assert page.size == page.file.size
        # Personal data: the owner alone reads the file and its folders.
        assert mode(page.file.path) == 0o600
        assert mode(os.path.dirname(page.file.path)) == 0o700
        assert str(settings.MEDIA_ROOT) in page.file.path


def test_resolution_and_size_of_the_pages_are_bounded(aspirant, cedula, settings):
    settings.APOYO_SCAN_PAGE_DPI = 72
    small = add_scan(aspirant.user, cedula, uploaded("a.pdf", pdf(1)))
    page = small.pages.get()
    assert (page.width, page.height) == LETTER
    settings.APOYO_SCAN_PAGE_DPI = 150
    # A poster-sized page is drawn with its longest side at MAX_PAGE_SIDE pixels, not 10,000.
    poster = add_scan(aspirant.user, cedula, uploaded("b.pdf", pdf(1, size=(4800, 2400))))
    page = poster.pages.get()
    assert (page.width, page.height) == (MAX_PAGE_SIDE, MAX_PAGE_SIDE // 2)


def test_a_pdf_over_the_page_limit_is_refused_and_nothing_is_kept(aspirant, cedula, settings):
    settings.APOYO_SCAN_MAX_PAGES = 2
    with pytest.raises(ValidationError, match="tiene 3 páginas; el máximo es 2"):
        add_scan(aspirant.user, cedula, uploaded("largo.pdf", pdf(3)))
    assert not CedulaScan.objects.exists() and not CedulaScanPage.objects.exists()
    assert not os.path.exists(settings.MEDIA_ROOT / "scans") or not any(
        files for _, _, files in os.walk(settings.MEDIA_ROOT / "scans")
    )
    assert add_scan(aspirant.user, cedula, uploaded("corto.pdf", pdf(2))).pages.count() == 2


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.4\nesto no es un PDF\n%%EOF\n", "dañado"),
        (PDF[:70], "truncado"),
        (pdf(1, password="secreta"), "con contraseña"),
    ],
)
def test_a_pdf_that_cannot_be_drawn_is_refused_at_upload_in_spanish(
    client, aspirant, cedula, settings, data, why
):
    with pytest.raises(ValidationError, match="no se puede abrir"):
        add_scan(aspirant.user, cedula, uploaded("cedula.pdf", data))
    client.force_login(aspirant.user)
    url = reverse("supports:precapture_scans", args=[cedula.pk])
    response = client.post(url, {"scans": [uploaded("cedula.pdf", data)]}, follow=True)
    assert response.status_code == 200, why
    page = response.content.decode()
    assert "El PDF «cedula.pdf» no se puede abrir (está dañado o protegido con contraseña)" in page
    assert not CedulaScan.objects.exists() and not CedulaScanPage.objects.exists()


def test_pictures_are_their_own_single_page(aspirant, cedula):
    scan = add_scan(aspirant.user, cedula, uploaded("frente.png", png()))
    assert not scan.pages.exists()
    supports = precaptured(aspirant, [1], reference="P-2")
    picture = add_scan(aspirant.user, supports[0].cedula, uploaded("frente.png", png(8, 8)))
    document = add_scan(aspirant.user, supports[0].cedula, uploaded("hoja.pdf", pdf(2)))
    image, pdf_image = support_images(supports[0])
    url = reverse("supports:scan", args=[picture.pk])
    assert (image.url, image.pages, image.is_pdf) == (url, (url,), False)
    assert pdf_image.url == reverse("supports:scan", args=[document.pk])
    assert pdf_image.pages == tuple(
        reverse("supports:scan_page", args=[document.pk, n]) for n in (1, 2)
    )


def test_a_page_is_served_under_the_rules_of_its_scan(client, aspirant, cedula):
    scan = add_scan(aspirant.user, cedula, uploaded("GARCIA.pdf", pdf(2)))
    url = reverse("supports:scan_page", args=[scan.pk, 2])
    for user in (aspirant.user, make_user(Role.OPL_REVIEWER), make_user(Role.OPL_CAPTURIST)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body == scan.pages.get(number=2).file.open("rb").read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline")
        assert "GARCIA-pagina-2.jpg" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
    seen = AccessLog.objects.filter(object_type="escaneo de cédula", object_id=str(scan.pk))
    assert seen.filter(detail="página 2").count() == 3

    missing = reverse("supports:scan_page", args=[scan.pk, 3])
    assert client.get(missing).status_code == 404
    client.force_login(make_aspirant(aspirant.office, with_user=True).user)
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.OPL_REVIEWER, state_number=14))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.INE_DERFE))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    # Never a static file: no public route reaches the stored image.
    page = scan.pages.get(number=1)
    client.force_login(aspirant.user)
    for path in (f"/{page.file.name}", f"/media/{page.file.name}", f"/static/{page.file.name}"):
        assert client.get(path).status_code == 404


def test_removing_a_scan_removes_its_page_images(aspirant, django_capture_on_commit_callbacks):
    supports = precaptured(aspirant, [1])
    scan = add_scan(aspirant.user, supports[0].cedula, uploaded("cedula.pdf", pdf(2)))
    storage = scan.file.storage
    names = [page.file.name for page in scan.pages.all()]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        assert remove_own_scan(aspirant.user, scan) == []
    assert not CedulaScanPage.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_render_scan_pages_draws_the_pdfs_stored_before_pages_existed(aspirant, cedula, capsys):
    stored = add_scan(aspirant.user, cedula, uploaded("viejo.pdf", pdf(2)))
    picture = add_scan(aspirant.user, cedula, uploaded("frente.png", png()))
    CedulaScanPage.objects.all().delete()
    # A stored PDF that cannot be drawn is reported and skipped, not fatal.
    broken = CedulaScan.objects.create(
        cedula=cedula,
        original_name="roto.pdf",
        kind="pdf",
        size=10,
        sha256="0" * 64,
        file=stored.file.storage.save("scans/roto.pdf", io.BytesIO(b"%PDF-1.4 roto")),
    )

    call_command("render_scan_pages")
    out = capsys.readouterr()
    assert "1 escaneo(s) PDF con 2 página(s) dibujadas; 1 no se pudieron dibujar" in out.out
    assert f"Escaneo {broken.pk} (cédula P-1)" in out.err
    assert [page.number for page in stored.pages.all()] == [1, 2]
    assert not picture.pages.exists() and not broken.pages.exists()
    assert AccessLog.objects.filter(action="dibujar páginas").exists()

    call_command("render_scan_pages")  # again: nothing left to draw, nothing drawn twice
    assert "0 escaneo(s) PDF con 0 página(s)" in capsys.readouterr().out
    assert stored.pages.count() == 2
