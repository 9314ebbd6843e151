"""The PDF renderer as a whole: registration, lazy loading, the build, and validators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pdf_reading import PAPERS, paper_pdf
from tagged_reading import Tagged, paper_tagged

from conftest import FIXTURES, ROOT, SEED, require_tool
from kzreport.build import Options, build
from kzreport.renderers import renderers


def test_pdf_is_registered_beside_docx() -> None:
    found = renderers()
    assert found["pdf"].extension == ".pdf"
    assert list(found).index("docx") < list(found).index("pdf")


def test_importing_the_renderer_does_not_load_reportlab() -> None:
    code = ("import sys, kzreport.renderers.pdf; "
            "assert 'reportlab' not in sys.modules, 'reportlab imported at module level'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_only_right_to_left_text_loads_harfbuzz(tmp_path: Path) -> None:
    # reportlab would import uharfbuzz as it loads; kzreport loads it for shaping only.
    code = ("import sys; from pathlib import Path; from kzreport.build import Options, build; "
            "from kzreport.renderers.pdf import _writer; _writer(); "
            "assert 'uharfbuzz' not in sys.modules, 'loaded with reportlab'; "
            f"build([Path({str(SEED)!r})], Options(out_dir=Path({str(tmp_path)!r}), "
            "formats=('pdf',), jobs=1)); "
            "assert 'uharfbuzz' not in sys.modules, 'loaded for a Latin paper'; "
            f"build([Path({str(FIXTURES / 'scripts-arabic.md')!r})], Options(out_dir="
            f"Path({str(tmp_path)!r}), formats=('pdf',), jobs=1)); "
            "assert 'uharfbuzz' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_build_writes_the_pdf(tmp_path: Path) -> None:
    [outcome] = build([SEED], Options(out_dir=tmp_path, formats=("pdf",), cwd=ROOT))
    assert not outcome.failed, outcome.problems
    assert [(r.path, r.status) for r in outcome.outputs] == [
        (tmp_path / "kazakhstan-position.pdf", "built")]
    assert (tmp_path / "kazakhstan-position.pdf").read_bytes().startswith(b"%PDF-")


def test_reportlab_runs_with_its_c_accelerators() -> None:
    # rl-accel is a dependency: without it, text widths, numbers and stream encoding are
    # computed in Python and a PDF takes half as long again.
    from reportlab.lib import rl_accel

    assert {"instanceStringWidthTTF", "fp_str", "asciiBase85Encode"} <= set(rl_accel._c_funcs)


@pytest.mark.parametrize("name", PAPERS)
def test_qpdf_finds_no_errors(name: str, request: pytest.FixtureRequest) -> None:
    result = subprocess.run([require_tool("qpdf"), "--check", str(paper_pdf(name, request))],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.parametrize("name", PAPERS)
def test_the_pdfua_checker_finds_nothing(name: str, request: pytest.FixtureRequest) -> None:
    # pdfua (PyPI; pikepdf-based, no JVM) checks a machine-checkable subset of PDF/UA-1; it
    # is not a dependency, so this runs only where it is installed. veraPDF is not
    # obtainable from the package registries this project uses.
    pdfua = pytest.importorskip("pdfua")
    tagged: Tagged = paper_tagged(name, request)
    report = pdfua.validate(str(tagged.path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
