from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "ipshub.implementation"
    verbose_name = "Implementation tracking"

    def ready(self) -> None:
        from ipshub.implementation import services
        from ipshub.tenancy import phase_gates
        from ipshub.tenancy.signals import program_phase_entered

        program_phase_entered.connect(
            services.on_program_phase_entered, dispatch_uid="implementation.assignments_on_phase_entered"
        )
        phase_gates.register(services.partnership_gate)
