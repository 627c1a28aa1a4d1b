"""Writes notebooks/explore.ipynb (without outputs) from the cells below.

Keeping the notebook's source here makes review easy; `python notebooks/build_explore.py`
rewrites the .ipynb after an edit.  CI executes the notebook (tests/test_notebook.py).
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    new_markdown_cell(
        "# Exploring a responsibility network with dutygraph\n\n"
        "Five public plans of Zhejiang province and Shaoxing city are loaded into the embedded graph "
        "database; then we ask which tasks 省大数据局 touches, who carries the most, and look at its network.\n\n"
        "Set `DUTYGRAPH_HOME` to use an existing data directory; otherwise a temporary one is made."
    ),
    new_code_cell(
        "import html\n"
        "import os\n"
        "import tempfile\n"
        "from pathlib import Path\n"
        "\n"
        "from IPython.display import HTML, display\n"
        "\n"
        "from dutygraph.services import Services\n"
        "from dutygraph.settings import Settings\n"
        "\n"
        "home = Path(os.environ.get('DUTYGRAPH_HOME') or tempfile.mkdtemp(prefix='dutygraph-notebook-'))\n"
        "svc = Services(Settings(home=home))\n"
        "report = svc.load_samples()\n"
        "print(f'{len(report.loaded)} documents in the graph at {home}')\n"
        "\n"
        "\n"
        "def table(rows, columns):\n"
        '    """A small HTML table; every value escaped."""\n'
        "    head = ''.join(f'<th>{html.escape(c)}</th>' for c in columns)\n"
        "    cell = lambda v: f'<td>{html.escape(\"\" if v is None else str(v))}</td>'\n"
        "    body = ''.join('<tr>' + ''.join(cell(r.get(c)) for c in columns) + '</tr>' for r in rows)\n"
        "    return HTML(f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')\n"
        "\n"
        "\n"
        "table(svc.documents(), ['title', 'doc_number', 'issued', 'jurisdiction', 'tasks', 'assignments'])"
    ),
    new_markdown_cell(
        "## Which tasks does 省大数据局 touch?\n\nAny name form works: 省大数据局, 浙江省大数据发展管理局, 省大數據局."
    ),
    new_code_cell(
        "unit, rows = svc.agency_tasks('省大数据局')\n"
        "print(f\"{unit['name']} touches {len(rows)} tasks\")\n"
        "table(rows, ['document', 'number', 'title', 'role', 'due_last'])"
    ),
    new_markdown_cell(
        "## Who carries the most?\n\n"
        "overload = weighted load (a lead counts 1, shared among co-leads; a support 0.3) "
        "+ 0.5 × (tasks due in the busiest month − 1) + 0.25 × (other communities linked)."
    ),
    new_code_cell("ranking = svc.overload(top=10)\ntable(ranking, ['rank', 'name', 'overload', 'reasons'])"),
    new_code_cell(
        "%matplotlib inline\n"
        "import matplotlib.pyplot as plt\n"
        "from matplotlib import font_manager\n"
        "\n"
        "# A CJK font so that the agencies' names render (fonts-wqy-microhei on Debian).\n"
        "cjk = [f for f in font_manager.findSystemFonts() if 'wqy' in f.lower() or 'cjk' in f.lower()]\n"
        "if cjk:\n"
        "    font_manager.fontManager.addfont(cjk[0])\n"
        "    plt.rcParams['font.family'] = font_manager.FontProperties(fname=cjk[0]).get_name()\n"
        "labels = [r['name'] if cjk else r['id'] for r in ranking][::-1]\n"
        "fig, ax = plt.subplots(figsize=(9, 4.5))\n"
        "ax.barh(labels, [r['load'] for r in ranking][::-1], label='weighted load')\n"
        "ax.barh(labels, [r['overload'] - r['load'] for r in ranking][::-1], left=[r['load'] for r in ranking][::-1],\n"
        "        label='deadline crunch + brokerage')\n"
        "ax.set_xlabel('overload')\n"
        "ax.legend(loc='lower right')\n"
        "fig.tight_layout()\n"
        "plt.show()\n"
        "print('chart font:', plt.rcParams['font.family'])"
    ),
    new_markdown_cell(
        "## 省大数据局's network\n\n"
        "Red edges lead, blue support, purple joint; hover a node for its tasks and deadlines."
    ),
    new_code_cell(
        "from dutygraph.api import pictures\n"
        "\n"
        "picture = pictures.agency_view(svc, unit['id'])\n"
        "print(f'{len(picture.nodes)} nodes, {len(picture.edges)} edges')\n"
        "page = pictures.render(picture)\n"
        'HTML(f\'<iframe srcdoc="{html.escape(page)}" style="width:100%;height:620px;border:0"></iframe>\')'
    ),
    new_code_cell(
        "svc.close()\n"
        "if not os.environ.get('DUTYGRAPH_HOME'):\n"
        "    from dutygraph.graph.store.embedded import EmbeddedServer\n"
        "    EmbeddedServer(home).stop()"
    ),
]

notebook = new_notebook(cells=CELLS, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
nbformat.write(notebook, Path(__file__).with_name("explore.ipynb"))
