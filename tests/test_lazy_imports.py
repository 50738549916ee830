"""The web process never loads torch or transformers (start-up time and memory)."""

import subprocess
import sys


def test_web_process_imports_no_ml_framework():
    code = (
        "import django, sys; django.setup(); import ecomops.urls, ecomops.wsgi; "
        "from django.contrib import admin; admin.autodiscover(); "
        "print(','.join(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == ""
