from django.core.management.base import BaseCommand, CommandError

from ayni.core.demo import DemoContext, seed_all


class Command(BaseCommand):
    help = "Crea (o completa) los datos de demostración: unidades, servidores, cuentas, boletas."

    def add_arguments(self, parser):
        parser.add_argument(
            "--servidores", type=int, default=200,
            help="Cantidad de servidores de demostración (además de las cuentas fijas).",
        )  # fmt: skip

    def handle(self, *args, servidores, **options):
        if servidores < 0 or servidores > 2_000_000:
            raise CommandError("--servidores debe estar entre 0 y 2000000.")
        seed_all(DemoContext(servants=servidores, stdout=self.stdout))
        self.stdout.write(self.style.SUCCESS("Datos de demostración listos."))
