"""`make run`: a local SQLite server database with demo data, the central server, and the counter client on top."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from efangtong_core.demo.org import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "var" / "demo"
HOST, PORT = "127.0.0.1", int(os.environ.get("EFT_PORT", "8765"))
BASE_URL = f"http://{HOST}:{PORT}"
DEMO_USER = "clerk"
DEMO_PETITIONS = os.environ.get("EFT_DEMO_PETITIONS", "3000")


def has_display() -> bool:
    """True when a graphical display is available for the counter client."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def wait_for_server(process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Return when the server answers its health route."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"中心服务器启动失败（退出码 {process.returncode}），请查看上面的日志。")
        try:
            if httpx.get(f"{BASE_URL}/api/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.terminate()
    sys.exit(f"中心服务器 {timeout:.0f} 秒内没有就绪。")


def main() -> int:
    """Prepare the demo database, start the server, open the client; stop the server when the client closes."""
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "EFT_DATABASE_URL": f"sqlite:///{DEMO_DIR / 'server.sqlite'}", "EFT_DATA_DIR": str(DEMO_DIR)}
    server_cli = [sys.executable, "-m", "efangtong_server.cli"]
    subprocess.run([*server_cli, "seed-demo", "--petitions", DEMO_PETITIONS], env=env, check=True)
    server = subprocess.Popen([*server_cli, "serve", "--host", HOST, "--port", str(PORT)], env=env)
    try:
        wait_for_server(server)
        print(f"中心服务器已启动：{BASE_URL}（接口文档 {BASE_URL}/docs）")
        if not has_display():
            print("未检测到图形显示（DISPLAY 未设置），无法打开柜台客户端。中心服务器继续运行，按 Ctrl+C 停止。")
            server.wait()
            return 0
        client = [sys.executable, "-m", "efangtong_desktop.app", "--server", BASE_URL, "--user", DEMO_USER]
        client += ["--data-dir", str(DEMO_DIR / "client")]
        client_env = {**os.environ, "EFT_AUTOLOGIN_PASSWORD": DEMO_PASSWORD}
        return subprocess.run(client, env=client_env, check=False).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
