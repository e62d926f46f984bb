"""A single-node Apache Kafka 4 broker in KRaft mode, run from its Maven Central jars on the machine's Java."""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from talentmind.devstack.procs import StackError, port_open, start_detached, stop, wait_until

PROCESS = "kafka"

_LOG4J2 = """\
rootLogger.level=WARN
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
"""


def server_properties(data_dir: Path, port: int, controller_port: int) -> str:
    return f"""\
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data_dir}
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
"""


def resolve_jars(pom: Path) -> Path:
    """The broker's classpath folder, resolved with Maven on first use (cached in ~/.m2 afterwards)."""
    libs = pom.parent / "target" / "libs"
    if not any(libs.glob("kafka_2.13-*.jar")):
        if shutil.which("mvn") is None:
            raise StackError("Maven (mvn) is needed to fetch Apache Kafka's jars, or set TM_KAFKA_BOOTSTRAP")
        subprocess.run(["mvn", "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"], check=True)
    if not any(libs.glob("kafka_2.13-*.jar")):
        raise StackError(f"Maven ran but no Kafka jar is in {libs}")
    return libs


def ensure_broker(
    root: Path, pom: Path, *, port: int, controller_port: int, heap: str = "512m", timeout_s: float = 90.0
) -> str:
    """Start the broker under ``root`` (formatting its storage on first use); return its bootstrap address."""
    bootstrap = f"127.0.0.1:{port}"
    if port_open("127.0.0.1", port):
        return bootstrap
    if shutil.which("java") is None:
        raise StackError("Java 17+ is needed to run the local Kafka broker, or set TM_KAFKA_BOOTSTRAP")
    libs = resolve_jars(pom)
    classpath = f"{libs.resolve()}/*"
    root.mkdir(parents=True, exist_ok=True)
    data = (root / "data").resolve()
    props = root / "server.properties"
    props.write_text(server_properties(data, port, controller_port))
    log4j = root / "log4j2.properties"
    log4j.write_text(_LOG4J2)
    java_opts = [
        f"-Dlog4j2.configurationFile={log4j.resolve()}",
        f"-Xmx{heap}",
        f"-Xms{heap}",
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
    ]
    if not (data / "meta.properties").exists():
        subprocess.run(
            [
                "java",
                *java_opts,
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode(),
                "-c",
                str(props),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    start_detached(
        PROCESS,
        ["java", *java_opts, "-cp", classpath, "kafka.Kafka", str(props)],
        run_dir=root,
        env=os.environ.copy(),
    )
    wait_until(
        lambda: port_open("127.0.0.1", port),
        timeout_s,
        f"Kafka on port {port}",
        log_path=root / f"{PROCESS}.log",
    )
    wait_until(
        lambda: metadata_ready(bootstrap),
        timeout_s,
        "Kafka metadata",
        interval_s=1.0,
        log_path=root / f"{PROCESS}.log",
    )
    return bootstrap


def stop_broker(root: Path) -> bool:
    return stop(PROCESS, root, timeout_s=30.0)


def metadata_ready(bootstrap: str) -> bool:
    """True when the broker answers a metadata request (the port alone opens before the controller is ready)."""
    from aiokafka.admin import AIOKafkaAdminClient

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await asyncio.wait_for(admin.start(), 5)
            await asyncio.wait_for(admin.list_topics(), 5)
            return True
        except Exception:
            return False
        finally:
            await admin.close()

    return asyncio.run(probe())


def reachable(bootstrap: str) -> bool:
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    return port_open(host or "127.0.0.1", int(port)) and metadata_ready(bootstrap)
