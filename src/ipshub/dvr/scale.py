from ipshub.demo.context import ScaleContext


def generate(ctx: ScaleContext) -> dict[str, int]:
    """Add this area's generated records at ctx.scale; returns counts by kind."""
    return {}
