"""scripts/bootstrap.sh waits while another installer holds apt's lock, then explains."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _apt_wait(tmp_path: Path, fails: int, limit: int) -> subprocess.CompletedProcess:
    """Run bootstrap.sh's apt_wait against a fake apt-get that is locked ``fails`` times."""
    fake = tmp_path / "bin" / "apt-get"
    fake.parent.mkdir()
    count = tmp_path / "count"
    count.write_text("0")
    fake.write_text(f"""#!/bin/bash
n=$(cat {count}); echo $((n + 1)) > {count}
if [ "$n" -lt {fails} ]; then
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 123 (apt-get)" >&2
  exit 100
fi
exit 0
""")
    fake.chmod(0o755)
    script = (ROOT / "scripts" / "bootstrap.sh").read_text()
    func = script[script.index("apt_wait() {"):script.index("\n}\n", script.index("apt_wait() {")) + 3]
    env = dict(os.environ, PATH=f"{fake.parent}:{os.environ['PATH']}", XIABO_APT_POLL="1",
               XIABO_APT_WAIT=str(limit))
    return subprocess.run(["bash", "-c", func + "\napt_wait update -qq"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_waits_for_the_lock_then_installs(tmp_path):
    r = _apt_wait(tmp_path, fails=2, limit=30)
    assert r.returncode == 0, r.stderr
    assert "另一个安装程序正在运行" in r.stderr and "Could not get lock" not in r.stderr


def test_explains_when_the_lock_is_never_released(tmp_path):
    r = _apt_wait(tmp_path, fails=100, limit=2)
    assert r.returncode == 1
    assert "占用了软件包管理器" in r.stderr and "Could not get lock" not in r.stderr
