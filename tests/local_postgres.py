"""Print the URL of a PostgreSQL test database on this machine, creating it if needed.

``make test`` uses it when ``PISHKHAN_TEST_DATABASE_URL`` is not set: a PostgreSQL server on
127.0.0.1:5432 that lets the ``postgres`` user in (trust authentication, as on CI) is used, and
when there is none, nothing is printed and the PostgreSQL run is skipped with the reason.
"""
import psycopg

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "pishkhan_test"


def main() -> None:
    try:
        with psycopg.connect(SERVER, autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{DATABASE}"')
    except psycopg.Error:
        return
    print(f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}")


if __name__ == "__main__":
    main()
