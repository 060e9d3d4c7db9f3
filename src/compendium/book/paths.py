"""Where the engine keeps what it makes, named once: the paths (relative to the project) and the
environment variables that more than one process must agree on — the build, its notebook
workers and kernels, the renderer and later commands."""
BUILD = "_build"
DIST = "dist"  # where make release writes the deposit
HTML = "_build/html"  # the book as published
PDF = "_build/pdf"
HANDOUTS = "_build/handouts"  # make chapter's zips
EDITIONS = ("student", "instructor")  # a chapter's zip without its solutions (the default), and with them
STAGE = "_build/.stage"  # the sources of the build under way
RENDER = "_build/.render"  # Sphinx's sources, environment and output, kept between builds
RENDERED = ".rendered"  # in RENDER: present only after a render that finished
CACHE = "_build/.cache"  # executed notebooks and their cache entries
LOCK = "_build/.lock"  # held (lockf) while a command writes _build/, notebooks/ or data/datapackage.json
BOOK_RECORD = ".compendium-build.json"  # in HTML: the inputs it was rendered from, the sha256 of its files

EXPORTS_DIR = "_exports"  # in the staged sources: <notebook stem>/<figures|tables>/<glue key>.<ext>
PROVENANCE = "provenance.json"  # in EXPORTS_DIR/<notebook stem>/
BUNDLES = "_bundles"  # in the rendered book: the zips its pages link to
DATA_BUNDLE = "data-package"  # the data package's zip in BUNDLES

RELEASE = "COMPENDIUM_RELEASE"  # when set, the build leaves out run times and paths, so two releases are identical


def handout_name(chapter: str, edition: str) -> str:
    """The file name of a chapter's zip in one edition (in BUNDLES and in HANDOUTS)."""
    return f"{chapter}-{edition}.zip"


READ_LOG = "COMPENDIUM_READ_LOG"  # when set, every file the data layer reads is appended here
