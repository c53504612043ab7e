from hdslint.cli import run

run()
