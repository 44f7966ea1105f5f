"""Seed the skill taxonomy with what backend hiring needs. Staff extend it in the admin."""

from django.db import migrations
from django.utils.text import slugify

SKILLS = {
    "language": [
        ("Java", []), ("Python", ["py"]), ("Ruby", []), ("Go", ["golang"]),
        ("Node.js", ["node", "nodejs"]), ("PHP", []), ("C#", ["csharp", "c sharp"]),
        ("TypeScript", ["ts"]), ("JavaScript", ["js"]), ("Kotlin", []), ("Scala", []),
        ("Rust", []), ("Elixir", []), ("SQL", []),
    ],
    "framework": [
        ("Spring", ["spring boot", "springboot"]), ("Django", []),
        ("Ruby on Rails", ["rails", "ror"]), ("FastAPI", []), ("Flask", []),
        ("Laravel", []), (".NET", ["dotnet", "asp.net", "asp.net core"]),
        ("Express", ["express.js", "expressjs"]), ("NestJS", ["nest"]), ("Gin", []),
        ("Celery", []), ("Phoenix", []),
    ],
    "database": [
        ("PostgreSQL", ["postgres", "psql"]), ("MySQL", ["mariadb"]), ("MongoDB", ["mongo"]),
        ("Redis", []), ("Elasticsearch", ["elastic", "opensearch"]), ("SQL Server", ["mssql"]),
        ("Cassandra", []), ("DynamoDB", []),
    ],
    "cloud": [
        ("AWS", ["amazon web services"]), ("Azure", ["microsoft azure"]),
        ("Google Cloud", ["gcp", "google cloud platform"]),
    ],
    "devops": [
        ("Docker", ["containers"]), ("Kubernetes", ["k8s"]), ("Terraform", []),
        ("CI/CD", ["continuous integration", "github actions", "gitlab ci"]),
        ("Linux", []), ("Nginx", []), ("Kafka", ["apache kafka"]), ("RabbitMQ", []),
    ],
    "practice": [
        ("REST APIs", ["rest", "restful"]), ("GraphQL", []), ("gRPC", []),
        ("Microservices", []), ("Testing", ["unit testing", "tdd", "pytest", "junit"]),
        ("Git", ["github", "version control"]), ("System design", ["architecture"]),
        ("Data modeling", ["database design", "normalization"]),
        ("Query optimization", ["performance tuning"]), ("API security", ["oauth", "owasp"]),
    ],
}


def seed(apps, schema_editor):
    Skill = apps.get_model("candidates", "Skill")
    for category, entries in SKILLS.items():
        for name, aliases in entries:
            slug = slugify(name.replace("#", "sharp").replace(".NET", "dotnet").replace(".js", "js"))
            Skill.objects.get_or_create(
                name=name, defaults={"slug": slug, "category": category, "aliases": aliases}
            )


def unseed(apps, schema_editor):
    Skill = apps.get_model("candidates", "Skill")
    names = [name for entries in SKILLS.values() for name, _ in entries]
    Skill.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
