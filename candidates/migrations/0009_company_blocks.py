"""Blocks by company name or email domain replace the list of blocked companies.

Each company an engineer had blocked becomes a block of its name that also keeps
the company's id: it still hides the profile from that company if it renames, and
now also from any company with the same name (the old form picked one of them).
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _name_key(name: str) -> str:
    # candidates.models.company_name_key, frozen here as it was when this ran.
    return " ".join(name.split()).lower()


def blocked_companies_to_blocks(apps: Any, schema_editor: Any) -> None:
    Profile = apps.get_model("candidates", "Profile")
    CompanyBlock = apps.get_model("candidates", "CompanyBlock")
    through = Profile.blocked_companies.through
    keeps = CompanyBlock.companies.through
    blocks: dict[tuple[int, str], Any] = {}
    companies: dict[tuple[int, str], list[int]] = {}
    rows = through.objects.select_related("company").order_by("profile_id", "company_id")
    for row in rows.iterator():
        key = (row.profile_id, _name_key(row.company.name))
        if key not in blocks:
            blocks[key] = CompanyBlock(
                profile_id=row.profile_id,
                kind="name",
                value=key[1],
                label=" ".join(row.company.name.split()),
            )
        companies.setdefault(key, []).append(row.company_id)
    CompanyBlock.objects.bulk_create(blocks.values(), batch_size=1000)
    keeps.objects.bulk_create(
        [
            keeps(companyblock_id=blocks[key].pk, company_id=company_id)
            for key, ids in companies.items()
            for company_id in ids
        ],
        batch_size=1000,
    )


def blocks_to_blocked_companies(apps: Any, schema_editor: Any) -> None:
    """Going back keeps the companies each name block remembered; domain blocks,
    which the old list cannot hold, are lost."""
    Profile = apps.get_model("candidates", "Profile")
    CompanyBlock = apps.get_model("candidates", "CompanyBlock")
    through = Profile.blocked_companies.through
    rows = set(
        CompanyBlock.companies.through.objects.values_list(
            "companyblock__profile_id", "company_id"
        )
    )
    through.objects.bulk_create(
        [through(profile_id=p, company_id=c) for p, c in sorted(rows)], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("candidates", "0008_searchable_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="CompanyBlock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("name", "Company name"), ("domain", "Email domain")],
                        max_length=6,
                    ),
                ),
                (
                    "value",
                    models.CharField(help_text="The name or domain, normalised.", max_length=253),
                ),
                (
                    "label",
                    models.CharField(help_text="What the engineer typed, trimmed.", max_length=253),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "profile",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="company_blocks",
                        to="candidates.profile",
                    ),
                ),
                (
                    "companies",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Companies that had the name when the block was made.",
                        related_name="+",
                        to="accounts.company",
                    ),
                ),
            ],
            options={
                "ordering": ["kind", "value"],
                "indexes": [models.Index(fields=["value", "kind"], name="companyblock_value")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("profile", "kind", "value"), name="one_block_per_name_or_domain"
                    )
                ],
            },
        ),
        migrations.RunPython(blocked_companies_to_blocks, blocks_to_blocked_companies),
        migrations.RemoveField(model_name="profile", name="blocked_companies"),
    ]
