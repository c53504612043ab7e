from hdslint.cli import main

main(prog_name="hdslint")
