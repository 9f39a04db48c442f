#!/usr/bin/env python3
"""The Python client as a user installs it: a fresh virtual environment, `pip install
clients/python` into it, then the client's tests and the finance bureau's example with that
environment's python (python_client_cases.py), against a real reformd.

Run by ctest with Debian's python3: python_client_test.py REFORMD REFORMCTL SOURCE_DIR

No network: the environment sees Debian's grpcio and protobuf (--system-site-packages) and pip
builds the package from a copy of clients/python and proto/ with --no-index --no-deps
--no-build-isolation (the generated modules come from protoc and grpc_python_plugin, run by
the package's own build step). Everything lives in one temp dir, removed at the end.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

REFORMD, REFORMCTL, SOURCE = sys.argv[1:4]
CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_client_cases.py")
# What pip and the package's build step must not read from the machine's configuration.
UNSET = ("PYTHONPATH", "PYTHONHOME", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS",
         "REFORMLOG_TOKEN_FILE", "REFORMLOG_SERVER", "XDG_CONFIG_HOME", "VIRTUAL_ENV")


def run(command, **kwargs):
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit("%s failed (exit %d):\n%s%s" % (" ".join(command), done.returncode, done.stdout,
                                                  done.stderr))
    return time.monotonic() - started


def main():
    root = tempfile.mkdtemp(prefix="reformlog-pyclient-")
    try:
        home = os.path.join(root, "home")
        os.makedirs(home)
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        env.update(HOME=home, PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1",
                   PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")

        # The repository as a user has it: the package and the protos it is generated from.
        src = os.path.join(root, "src")
        junk = shutil.ignore_patterns("__pycache__", "build", "*.egg-info")
        shutil.copytree(os.path.join(SOURCE, "clients", "python"),
                        os.path.join(src, "clients", "python"), ignore=junk)
        shutil.copytree(os.path.join(SOURCE, "proto"), os.path.join(src, "proto"), ignore=junk)

        venv = os.path.join(root, "venv")
        python = os.path.join(venv, "bin", "python")
        venv_s = run([sys.executable, "-m", "venv", "--system-site-packages", venv], env=env)
        install_s = run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                         "--no-index", os.path.join(src, "clients", "python")], env=env, cwd=root)
        print("venv %.1f s, pip install clients/python %.1f s" % (venv_s, install_s), flush=True)

        # The cases run from the temp dir with the venv's python: nothing of the repository's
        # clients/python is on sys.path, only the installed package (and the example's copy).
        env["VIRTUAL_ENV"] = venv
        env["PATH"] = os.path.join(venv, "bin") + os.pathsep + env.get("PATH", "")
        cases = subprocess.run([python, CASES, REFORMD, REFORMCTL, venv, src, SOURCE], env=env,
                               cwd=root)
        return cases.returncode
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
