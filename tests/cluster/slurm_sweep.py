#!/usr/bin/env python3
"""slurm_sweep.py -- sharded sweeps on a real Slurm cluster of one machine (issue 23).

The ctest cluster.slurm (label `cluster`, not in the default `ctest -LE 'slow|cluster'`).
As root, in a fresh temporary directory, it starts munged (its own key, socket, pid, log and
seed files), slurmctld and slurmd (a slurm.conf of its own: free ports, no accounting, no
cgroups), waits for the node to be idle, then submits each sweep of SWEEPS with
scripts/slurm/submit --tasks 4 (a 4-task array of scripts/slurm/lmo-sweep.sbatch and the
dependent merge job), waits for both, and checks:
  - every array task and the merge job COMPLETED, each array task wrote its part and the
    exit status it recorded is 0 or 1 (a result);
  - each task's Slurm output file holds lmo-sweep.sbatch's line for shard T+1/4 and, when
    the sweep gives a progress pattern, a progress line (LMO_PROGRESS=1 reaches the file);
  - the merged output is byte for byte the output of the same sweep run here unsharded, and
    so are the files the sweep writes into its --out directory (the experiment's CSVs).
The sweeps: lmo patterns over a corpus vector's 4096 patterns, and the quick lmo experiment
sc-fig61 (60 training runs; skipped, with a line, without Fashion-MNIST).
The daemons are stopped by their pids (the processes this script started) and the directory
removed on every exit path. Exit 77 (skip) when munge or Slurm is not installed or not root.

usage: slurm_sweep.py SRC          (environment: LMO_BIN, the lmo program)
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SRC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
HERE = os.path.dirname(os.path.abspath(__file__))

# ---- The sweeps under test. "args" may name {dir}, a directory of the sweep's own: the
# sharded run writes into {dir}/sharded, the unsharded one into {dir}/unsharded, and the
# "files" written there must be equal. "progress": a line every task's Slurm output file
# must hold (LMO_PROGRESS=1). ------
LMO = os.environ.get("LMO_BIN")
FASHION = os.environ.get("LMO_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
SWEEPS = [
    {"name": "patterns",    # Soudry-Carmon Lemma 3, exhaustive; 22 deficient patterns listed
     "args": ["patterns", "--json", os.path.join(SRC or ".", "vectors/corpus/patterns-no-dropout-s1-7.json")],
     "progress": r"patterns-no-dropout-s1-7: \d+/\d+ done in", "files": []},
    {"name": "sc-fig61",    # the experiment's 60 quick runs: CSV, summary and plot script
     "args": ["experiment", "sc-fig61", "--quick", "--out", "{dir}"],
     "progress": r"lmo experiment \(shard\): 15/15 done in",
     "files": ["sc-fig61.csv", "sc-fig61-summary.csv", "sc-fig61.gp"],
     "needs": os.path.join(FASHION, "train-images-idx3-ubyte.gz")},
]
TASKS = 4
STARTUP_SECONDS = 60   # for the node to turn idle
JOBS_SECONDS = 180     # for the array and the merge to finish
# -------------------------------------------------------------------------------------------


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


def tool(name):
    for d in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/sbin", "/sbin"]:
        p = os.path.join(d, name)
        if d and os.access(p, os.X_OK):
            return p
    return None


def free_ports(k):
    """k TCP ports nobody listens on now (the kernel's choice; closed again before use)."""
    socks = [socket.socket() for _ in range(k)]
    try:
        for s in socks:
            s.bind(("", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Cluster:
    """munged + slurmctld + slurmd in directory d; stop() ends them by pid."""

    def __init__(self, d, tools):
        self.d, self.t, self.procs, self.jobs = d, tools, [], []
        self.conf = os.path.join(d, "slurm.conf")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("SLURM_", "SBATCH_", "SALLOC_", "SRUN_"))}
        self.env["SLURM_CONF"] = self.conf

    def path(self, name):
        return os.path.join(self.d, name)

    def start(self, name, argv):
        log = open(self.path(name + ".out"), "w")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                             cwd=self.d, stdin=subprocess.DEVNULL)
        log.close()
        self.procs.append((name, p))

    def check_alive(self):
        for name, p in self.procs:
            if p.poll() is not None:
                self.dump_logs()
                fail("%s exited with status %s at start-up (logs above)" % (name, p.returncode))

    def dump_logs(self):
        for f in sorted(os.listdir(self.d)):
            if f.endswith((".out", ".log")) and os.path.isfile(self.path(f)):
                with open(self.path(f), errors="replace") as h:
                    print("---- %s (last lines)\n%s" % (f, "".join(h.readlines()[-25:])))

    def run(self, argv, check=True):
        p = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=60)
        if check and p.returncode != 0:
            fail("%s: exit %d: %s" % (" ".join(argv), p.returncode, p.stderr.strip()))
        return p.stdout

    def up(self):
        # munge: a fresh key, owner root mode 0400 (munged runs as root here: it checks that
        # the key belongs to its own user); --force because the socket is not in /run/munge.
        key = self.path("munge.key")
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        os.write(fd, os.urandom(1024))
        os.close(fd)
        sock = self.path("munge.socket")
        self.start("munged", [self.t["munged"], "--foreground", "--force",
                              "--key-file=" + key, "--socket=" + sock,
                              "--pid-file=" + self.path("munged.pid"),
                              "--log-file=" + self.path("munged.log"),
                              "--seed-file=" + self.path("munged.seed")])
        for _ in range(100):
            if os.path.exists(sock):
                break
            self.check_alive()
            time.sleep(0.1)
        else:
            fail("munged made no socket in 10 s")

        # The node as slurmd sees it (name, sockets, cores), memory capped: nothing enforces it.
        hw = self.run([self.t["slurmd"], "-C"]).split("\n")[0]
        m = re.match(r"NodeName=(\S+) (.*) RealMemory=(\d+)", hw)
        if not m:
            fail("slurmd -C printed %r" % hw)
        node, layout, mem = m.group(1), m.group(2), min(int(m.group(3)), 1024)
        ctld_port, d_port = free_ports(2)
        os.makedirs(self.path("state"))
        os.makedirs(self.path("spool"))
        conf = [
            "ClusterName=lmotest",
            "SlurmctldHost=%s(127.0.0.1)" % node,
            "SlurmctldPort=%d" % ctld_port,
            "SlurmdPort=%d" % d_port,
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            "AuthInfo=socket=" + sock,
            # No cgroups: processes tracked through /proc, no task binding.
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "MpiDefault=none",
            "MailProg=/bin/true",
            # Schedule each batch job as soon as it can run (default: up to 3 s later).
            "SchedulerParameters=batch_sched_delay=0",
            "ReturnToService=2",
            "StateSaveLocation=" + self.path("state"),
            "SlurmdSpoolDir=" + self.path("spool"),
            "SlurmctldPidFile=" + self.path("slurmctld.pid"),
            "SlurmdPidFile=" + self.path("slurmd.pid"),
            "SlurmctldLogFile=" + self.path("slurmctld.log"),
            "SlurmdLogFile=" + self.path("slurmd.log"),
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            "NodeName=%s NodeAddr=127.0.0.1 %s RealMemory=%d State=UNKNOWN" % (node, layout, mem),
            "PartitionName=debug Nodes=%s Default=YES MaxTime=INFINITE State=UP" % node,
        ]
        with open(self.conf, "w") as f:
            f.write("\n".join(conf) + "\n")
        self.start("slurmctld", [self.t["slurmctld"], "-D", "-f", self.conf])
        self.start("slurmd", [self.t["slurmd"], "-D", "-f", self.conf])
        deadline = time.time() + STARTUP_SECONDS
        state = ""
        while time.time() < deadline:
            self.check_alive()
            state = self.run([self.t["sinfo"], "-h", "-N", "-o", "%T"], check=False).strip()
            if state == "idle":
                return
            time.sleep(0.3)
        self.dump_logs()
        fail("the node is %r, not idle, after %d s (logs above)" % (state, STARTUP_SECONDS))

    def job_states(self, jobid):
        """{job id: state} of a job or of every task of an array, from scontrol."""
        out = self.run([self.t["scontrol"], "-o", "show", "job", jobid])
        states = {}
        for line in out.splitlines():
            fields = dict(w.split("=", 1) for w in line.split() if "=" in w)
            key = fields.get("JobId")
            if "ArrayTaskId" in fields:
                key = "%s_%s" % (fields.get("ArrayJobId"), fields["ArrayTaskId"])
            states[key] = fields.get("JobState")
        return states

    def stop(self):
        if self.jobs:
            self.run([self.t["scancel"]] + self.jobs, check=False)
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def main():
    if os.geteuid() != 0:
        skip("the local cluster runs munged, slurmctld and slurmd as root (SlurmUser=root)")
    names = ["munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo", "scancel"]
    tools = {n: tool(n) for n in names}
    missing = [n for n in names if not tools[n]]
    if missing:
        skip("not installed: %s (Debian packages munge and slurm-wlm)" % ", ".join(missing))
    if SRC is None:
        print(__doc__)
        return 2
    if not LMO or not os.access(LMO, os.X_OK):
        fail("no program %r (LMO_BIN)" % LMO)

    d = tempfile.mkdtemp(prefix="lmo-slurm-")
    os.chmod(d, 0o755)  # munged wants every directory above its socket searchable
    cluster = Cluster(d, tools)

    def on_signal(signum, frame):
        raise SystemExit("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        t0 = time.time()
        cluster.up()
        print("cluster up (munged, slurmctld, slurmd; node idle) in %.2f s" % (time.time() - t0))
        for sweep in SWEEPS:
            if sweep.get("needs") and not os.path.exists(sweep["needs"]):
                print("sweep %s: not run, %s is missing" % (sweep["name"], sweep["needs"]))
                continue
            run_sweep(cluster, sweep)
        return 0
    finally:
        cluster.stop()
        shutil.rmtree(d, ignore_errors=True)


def run_sweep(cluster, sweep):
    d = os.path.join(cluster.d, sweep["name"])
    os.makedirs(d)
    env = dict(cluster.env, LMO=LMO)
    args = {k: [a.replace("{dir}", os.path.join(d, k)) for a in sweep["args"]]
            for k in ("sharded", "unsharded")}
    print("sweep %s: %s %s" % (sweep["name"], LMO, " ".join(args["sharded"])))
    unsharded = subprocess.run([LMO] + args["unsharded"], env=cluster.env,
                               stdout=subprocess.PIPE, timeout=JOBS_SECONDS)
    if unsharded.returncode not in (0, 1):
        fail("the unsharded sweep exited %d" % unsharded.returncode)

    out = os.path.join(d, "sweep")
    t0 = time.time()
    p = subprocess.run([os.path.join(SRC, "scripts/slurm/submit"), "--tasks", str(TASKS),
                        "--out", out, "--"] + args["sharded"], env=env, cwd=d,
                       stdout=subprocess.PIPE, universal_newlines=True, timeout=60)
    ids = dict(l.split() for l in p.stdout.splitlines() if len(l.split()) == 2)
    if p.returncode != 0 or set(ids) != {"array", "merge"}:
        fail("scripts/slurm/submit: exit %d, printed %r" % (p.returncode, p.stdout))
    cluster.jobs = [ids["array"], ids["merge"]]

    final = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY")
    deadline = time.time() + JOBS_SECONDS
    array_done = None
    while True:
        if array_done is None and all(
                s in final for s in cluster.job_states(ids["array"]).values()):
            array_done = time.time() - t0
        merge = cluster.job_states(ids["merge"]).get(ids["merge"])
        if merge in final:
            break
        if time.time() > deadline:
            cluster.dump_logs()
            fail("the merge job is %s after %d s" % (merge, JOBS_SECONDS))
        time.sleep(0.2)
    elapsed = time.time() - t0
    tasks = cluster.job_states(ids["array"])
    print("array %s: %s, done %.2f s after the submission; merge %s: %s, done after %.2f s"
          % (ids["array"], " ".join("%s=%s" % kv for kv in sorted(tasks.items())),
             array_done or elapsed, ids["merge"], merge, elapsed))

    errors = []
    want_tasks = {"%s_%d" % (ids["array"], t) for t in range(TASKS)}
    if set(tasks) != want_tasks:
        errors.append("array tasks %s, expected %s" % (sorted(tasks), sorted(want_tasks)))
    errors += ["%s is %s" % (j, s) for j, s in sorted(tasks.items()) if s != "COMPLETED"]
    if merge != "COMPLETED":
        errors.append("the merge job is %s" % merge)
    for t in range(TASKS):
        k = t + 1
        part = os.path.join(out, "part-%d-of-%d" % (k, TASKS))
        rc = read(part + ".rc").strip()
        if not os.path.isfile(part) or rc not in ("0", "1"):
            errors.append("shard %d: part %s, exit status %r" % (k, os.path.isfile(part), rc))
        log = read(os.path.join(out, "slurm-%s_%d.out" % (ids["array"], t)))
        if "lmo-sweep: shard %d/%d on " % (k, TASKS) not in log:
            errors.append("task %d ran no shard %d/%d: its output file starts %r"
                          % (t, k, TASKS, log.split("\n")[0]))
        if sweep["progress"] and not re.search(sweep["progress"], log):
            errors.append("task %d: no progress line in its output file" % t)
    merged = read(os.path.join(out, "merged"), binary=True)
    if merged != unsharded.stdout:
        errors.append("the merged output (%d bytes) differs from the unsharded run (%d bytes)"
                      % (len(merged), len(unsharded.stdout)))
    elif not merged:
        errors.append("the merged output and the unsharded run are both empty")
    for f in sweep["files"]:
        a, b = (read(os.path.join(d, k, f), binary=True) for k in ("sharded", "unsharded"))
        if not a or a != b:
            errors.append("%s: the merge wrote %d bytes, the unsharded run %d: not equal"
                          % (f, len(a), len(b)))
    if errors:
        cluster.dump_logs()
        for f in sorted(os.listdir(out)):
            if f.endswith(".out"):
                print("---- %s\n%s" % (f, read(os.path.join(out, f))))
        fail("; ".join(errors))
    print("sweep %s: merged output of %d shards = unsharded output (%d bytes)%s"
          % (sweep["name"], TASKS, len(merged), ", and so are " + ", ".join(sweep["files"])
             if sweep["files"] else ""))


def read(path, binary=False):
    try:
        with open(path, "rb" if binary else "r") as f:
            return f.read()
    except OSError:
        return b"" if binary else ""


if __name__ == "__main__":
    sys.exit(main())
