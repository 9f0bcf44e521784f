"""The web app's settings: from arguments, or from SITREP_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from sitrep.store import DEFAULT_DB_URL

#: Where `npm ci` installs the front-end packages (Leaflet, Natural Earth boundaries).
DEFAULT_ASSETS_DIR = Path(__file__).parent / "assets" / "node_modules"


class Settings(BaseSettings):
    """What `sitrep serve` needs; each field can be set as SITREP_<FIELD> in the environment."""

    model_config = SettingsConfigDict(env_prefix="SITREP_", extra="ignore")

    db: str = DEFAULT_DB_URL
    #: Encrypts confidential report fields (source_contact). Without it they are refused.
    secret_key: SecretStr | None = None
    #: Browsers only send Secure cookies over HTTPS or to a loopback host.
    cookie_secure: bool = True
    session_hours: float = Field(default=12.0, gt=0)
    #: An XYZ tile URL ("https://tile.example.org/{z}/{x}/{y}.png") for online use; the
    #: map draws packaged boundaries only when it is unset.
    tile_url: str | None = None
    assets_dir: Path = DEFAULT_ASSETS_DIR
    #: Largest report upload accepted, in bytes.
    max_upload_bytes: int = Field(default=5_000_000, gt=0)
    #: Failed logins within 15 minutes after which a user name, or a client address, must
    #: wait before the next attempt (30 s, doubling with each further failure).
    login_failures_per_user: int = Field(default=5, gt=0)
    login_failures_per_address: int = Field(default=20, gt=0)
