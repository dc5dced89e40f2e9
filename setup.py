from setuptools import find_namespace_packages, setup

requires = [
    "pyramid>=2.0.2,<3",
    "pyramid_jinja2>=2.10,<3",
    "pyramid_tm>=2.5,<3",
    "pyramid_retry>=2.1,<3",
    "SQLAlchemy>=2.0.30,<2.2",
    "zope.sqlalchemy>=3.1,<5",
    "transaction>=4,<6",
    "alembic>=1.13,<2",
    "pluggy>=1.5,<2",
    "zope.interface>=6,<9",
    "colander>=2,<3",
    "deform>=2.0.15,<4",
    "waitress>=3,<4",
    "argon2-cffi>=23.1,<26",
    "jdatetime>=5,<7",
    "holidays>=0.105,<1",
    "Babel>=2.14,<3",
    "psycopg[binary]>=3.1,<4",
    "python-stdnum>=1.20,<3",
    "filetype>=1.2,<2",
    "tzdata>=2024.1",
    "markdown-it-py>=3,<5",
    "nh3>=0.2.17,<1",
    "rapidfuzz>=3.9,<4",
    "tqdm>=4.66,<5",
]

tests_require = [
    "pytest>=8,<10",
    "WebTest>=3,<4",
    "beautifulsoup4>=4.12,<5",
    "aiosmtpd>=1.4,<2",
    "playwright>=1.45,<2",
    "openapi-spec-validator>=0.7,<1",
]

setup(
    name="pishkhan",
    version="0.1.0",
    description="Persian-first service desk for universities and government agencies",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["core", "core.*", "plugins", "plugins.*"]),
    include_package_data=True,
    zip_safe=False,
    install_requires=requires,
    extras_require={"testing": tests_require},
    entry_points={
        "paste.app_factory": ["main = core.app:main"],
        "console_scripts": ["pishkhan = core.cli:main"],
        "pishkhan.plugins": [
            "email = plugins.email",
            "tickets = plugins.tickets",
            "sms = plugins.sms",
            "kb = plugins.kb",
        ],
    },
)
