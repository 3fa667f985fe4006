# The audit home panels (ipshub.audit.home) still import Panel from here until the audit pages move to their
# own surface app; everything else imports it from ipshub.areakit.panels.
from ipshub.areakit.panels import Panel

__all__ = ["Panel"]
