"""The program: `python -m hdslint`, and `hdslint` (pyproject.toml: hdslint.__main__:main)."""
import gc


def main() -> None:
    # The program builds objects it keeps to the end, its modules and then a scan: the cyclic
    # collector's passes over them free next to nothing (they took 5 ms of the imports and 0.3 s
    # of a scan of the bench monorepo). Collect rarely.
    gc.set_threshold(100_000, 50, 100)
    from hdslint.cli import run

    run()


if __name__ == "__main__":
    main()
