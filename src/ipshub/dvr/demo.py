from ipshub.demo.context import DemoContext


def build(ctx: DemoContext) -> None:
    """Add this area's records to the Westmark demo."""
