"""pishkhan-example-plugin: a third-party Pishkhan plugin, the one docs/write-a-plugin.md walks through."""
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


class build_py_with_catalogs(build_py):
    """Compile the gettext catalogs (``.po`` → ``.mo``) so the installed plugin speaks Persian.

    Compiled catalogs are build output, never committed; Babel is a build requirement
    (``pyproject.toml``).
    """

    def run(self):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in HERE.glob("pishkhan_example/locale/*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)
        super().run()


setup(
    name="pishkhan-example-plugin",
    version="1.0.0",
    description="An example Pishkhan plugin: a service status page, a heartbeat job and a widget",
    python_requires=">=3.11",
    packages=find_packages(include=["pishkhan_example", "pishkhan_example.*"]),
    package_data={
        "pishkhan_example": [
            "templates/*.jinja2",
            "migrations/*.py",
            "locale/*/LC_MESSAGES/*.po",
            "locale/*/LC_MESSAGES/*.mo",
        ],
    },
    zip_safe=False,
    install_requires=["pishkhan"],
    cmdclass={"build_py": build_py_with_catalogs},
    entry_points={
        "pishkhan.plugins": [
            "example = pishkhan_example",
        ],
    },
)
