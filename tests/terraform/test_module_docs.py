"""Each module README's input/output tables are generated from its code (tools/module_docs.py) and kept in step."""
from __future__ import annotations

import os

from tools import module_docs

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_module_readme_matches_its_code(capsys):
    assert module_docs.main(["--check"]) == 0, capsys.readouterr().out


def _module(tmp_path, variables: str, outputs: str, readme: str = "# m\n\nProse.\n"):
    module = tmp_path / "modules" / "m"
    module.mkdir(parents=True)
    (module / "variables.tf").write_text(variables)
    (module / "outputs.tf").write_text(outputs)
    (module / "README.md").write_text(readme)
    return module


def test_tables_follow_the_code_and_check_names_a_stale_readme(tmp_path, capsys):
    module = _module(tmp_path, 'variable "tags" {\n  description = "Tags | all"\n  type = map(string)\n'
                               '  default = {}\n  nullable = false\n}\nvariable "name" {\n  description = "Name."\n'
                               '  type = string\n}\n',
                     'output "id" {\n  description = "Id."\n  value = "x"\n}\n')
    assert module_docs.main(["--repo", str(tmp_path), "--check"]) == 1
    assert "modules/m/README.md: input/output tables differ" in capsys.readouterr().out
    assert module_docs.main(["--repo", str(tmp_path)]) == 0
    text = (module / "README.md").read_text()
    assert text.startswith("# m\n\nProse.\n")
    assert "| `tags` | Tags \\| all | `map(string)` (not null) | `{}` | no |" in text
    assert "| `name` | Name. | `string` |  | yes |" in text and "| `id` | Id. |" in text
    assert module_docs.main(["--repo", str(tmp_path), "--check"]) == 0
    # A variable added later makes the README stale again; regenerating replaces the section, nothing else.
    with open(module / "variables.tf", "a") as f:
        f.write('variable "sku" {\n  description = "SKU."\n  type = string\n  default = "S0"\n}\n')
    assert module_docs.main(["--repo", str(tmp_path), "--check"]) == 1
    module_docs.main(["--repo", str(tmp_path)])
    text = (module / "README.md").read_text()
    assert text.count(module_docs.BEGIN) == 1 and '| `sku` | SKU. | `string` | `"S0"` | no |' in text


def test_repository_modules_all_have_the_section():
    for module in module_docs.modules(REPO):
        assert module_docs.BEGIN in open(os.path.join(module, "README.md"), encoding="utf-8").read(), module
