from django.db import migrations


def refresh_bundled_scale(apps, schema_editor):
    """Issue 26: the bundled 2008 scale's last unconfirmed anchors (items 17, 19, 20, 21, 23), their cut points
    and the two total-score bands were brought to the published scale; update an already loaded copy."""
    from ipshub.fidelity.scales import read_scale

    data = read_scale()
    FidelityScale = apps.get_model("fidelity", "FidelityScale")
    FidelityItem = apps.get_model("fidelity", "FidelityItem")
    FidelityScale.objects.filter(key=data["key"], version=str(data["version"])).update(bands=data["bands"])
    entries = {entry["number"]: entry for entry in data["items"]}
    for item in FidelityItem.objects.filter(scale__key=data["key"], scale__version=str(data["version"])):
        entry = entries.get(item.number)
        if entry is None:
            continue
        item.anchors = {str(k): v for k, v in entry["anchors"].items()}
        item.needs_check = bool(entry.get("check", False))
        item.evidence = entry.get("evidence") or {}
        item.save(update_fields=["anchors", "needs_check", "evidence"])


class Migration(migrations.Migration):
    dependencies = [("fidelity", "0005_fidprep")]

    operations = [migrations.RunPython(refresh_bundled_scale, migrations.RunPython.noop)]
