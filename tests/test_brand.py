"""Branding from course.yaml: a logo and two colours, contrast checked by WCAG 2.1 AA."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from builder.build import build
from builder.config import BuildConfig
from builder.contrast import INK, WHITE, darker, ratio, text_on
from builder.errors import CourseError
from builder.loader import load_course

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def branded(tmp_path: Path, brand: str, logo: bool = True) -> Path:
    """The minimal course with `brand` (YAML lines) in course.yaml, and maybe a logo file."""
    source = tmp_path / "course"
    for path in MINIMAL.rglob("*"):
        if path.is_file():
            dest = source / path.relative_to(MINIMAL)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
    yaml = source / "course.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + brand, encoding="utf-8")
    if logo:
        (source / "logo.svg").write_bytes(LOGO)
    return source


def test_contrast_ratios_follow_wcag() -> None:
    assert ratio(WHITE, "#000000") == pytest.approx(21)
    assert ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert ratio("#0b57a4", WHITE) == pytest.approx(ratio(WHITE, "#0b57a4"))
    assert text_on("#12324f") == WHITE and text_on("#f2f4f7") == INK
    assert darker("#808080", 0.5) == "#404040"


def test_a_branded_course_ships_its_logo_and_colours(tmp_path: Path) -> None:
    source = branded(
        tmp_path, 'brand:\n  logo: logo.svg\n  colour: "#7a1f3d"\n  header: "#1f2a44"\n'
    )
    [built] = build(BuildConfig(source_dir=source, out_dir=tmp_path / "out", targets=("web",)))
    with zipfile.ZipFile(built.path) as zf:
        page = zf.read("index.html").decode("utf-8")
        assert zf.read("assets/logo.svg") == LOGO
    assert '<img class="cp-logo" src="assets/logo.svg" alt="">' in page
    style = re.search(r"<style>(.*?)</style>", page)
    assert style is not None
    assert "--cp-accent:#7a1f3d" in style.group(1)
    assert "--cp-header:#1f2a44;--cp-header-ink:#ffffff" in style.group(1)


def test_no_brand_no_style_and_no_logo(tmp_path: Path) -> None:
    [built] = build(BuildConfig(source_dir=MINIMAL, out_dir=tmp_path, targets=("web",)))
    with zipfile.ZipFile(built.path) as zf:
        page = zf.read("index.html").decode("utf-8")
    assert "<style>" not in page and "cp-logo" not in page


@pytest.mark.parametrize(
    ("brand", "field", "found"),
    [
        ('brand:\n  colour: "#8a8a8a"\n', "brand.colour", "3.45:1"),
        ('brand:\n  header: "#777777"\n', "brand.header", "4.48:1"),
    ],
)
def test_a_colour_below_aa_is_an_error_with_the_ratio(
    tmp_path: Path, brand: str, field: str, found: str
) -> None:
    source = branded(tmp_path, brand, logo=False)
    with pytest.raises(CourseError) as err:
        load_course(source)
    text = str(err.value)
    line = len((MINIMAL / "course.yaml").read_text(encoding="utf-8").splitlines()) + 2
    assert f"course.yaml:{line}: {field}: contrast of" in text
    assert found in text and "expected at least 4.5:1 (WCAG 2.1 AA)" in text


def test_a_missing_logo_or_a_bad_value_is_an_error(tmp_path: Path) -> None:
    source = branded(tmp_path, "brand:\n  logo: missing.png\n")
    with pytest.raises(
        CourseError, match=r"brand\.logo: expected the image 'missing\.png'.*logo\.svg"
    ):
        load_course(source)
    source = branded(tmp_path / "b", 'brand:\n  colour: "blue"\n')
    with pytest.raises(CourseError, match=r"brand\.colour: expected a colour as #rrggbb"):
        load_course(source)
