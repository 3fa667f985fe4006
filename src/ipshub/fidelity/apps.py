from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "ipshub.fidelity"
    verbose_name = "Fidelity reviews"

    def ready(self) -> None:
        from ipshub.fidelity import receivers
        from ipshub.tenancy.signals import program_phase_entered

        program_phase_entered.connect(
            receivers.schedule_baseline_review, dispatch_uid="fidelity_schedule_baseline_review"
        )
        from ipshub.collaboration.hooks import register_follow_up_converter
        from ipshub.fidelity.follow_ups import to_action

        register_follow_up_converter("fidelity-action", "Add to the fidelity action plan", to_action)
