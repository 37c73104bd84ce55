# Slurm for the Slurm executor tests: a real single-node cluster (munge, slurmctld, slurmd on this
# machine) stood up by the project's own Ansible role, as in ansible/README.md. Works without systemd.
# Sourced by .ci/run (which runs with `set -euo pipefail`): every command here is guarded, it prints
# nothing on success, and a second run does nothing when the cluster is up and the role unchanged.
_replica_slurm_sudo=""
if [ "$(id -u)" -ne 0 ]; then _replica_slurm_sudo="sudo"; fi
_replica_slurm_stamp=/etc/slurm/.replica-ansible-stamp
_replica_slurm_hash="$(cat ansible/slurm-local.yml ansible/inventories/local/hosts.yml \
  ansible/inventories/local/group_vars/*.yml $(find ansible/roles/slurm -type f | sort) 2>/dev/null \
  | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$_replica_slurm_stamp" 2>/dev/null || true)" = "$_replica_slurm_hash" ] \
  && sinfo --noheader --format=%T 2>/dev/null | grep -qxE 'idle|mixed|allocated|completing'; then
  : # up, and stood up by this very role
else
  if ! command -v ansible-playbook >/dev/null 2>&1; then
    $_replica_slurm_sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $_replica_slurm_sudo apt-get install -y -qq --no-install-recommends \
      ansible-core >/dev/null 2>&1 \
      || echo "slurm: could not install ansible-core with apt-get (the Slurm tests fail when CI=true)" >&2
  fi
  _replica_slurm_log="$(mktemp)"
  _replica_slurm_become=""
  if [ -n "$_replica_slurm_sudo" ]; then _replica_slurm_become="--become"; fi
  if command -v ansible-playbook >/dev/null 2>&1 \
    && ANSIBLE_NOCOLOR=1 ansible-playbook $_replica_slurm_become -i ansible/inventories/local \
      ansible/slurm-local.yml >"$_replica_slurm_log" 2>&1; then
    echo "$_replica_slurm_hash" | $_replica_slurm_sudo tee "$_replica_slurm_stamp" >/dev/null || true
  else
    echo "slurm: could not stand up the local Slurm cluster with" \
      "'ansible-playbook -i ansible/inventories/local ansible/slurm-local.yml';" \
      "the Slurm tests fail when CI=true. Last lines of its output:" >&2
    tail -n 30 "$_replica_slurm_log" >&2 || true
    echo "slurm: logs: /var/log/slurm/slurmctld.log, /var/log/slurm/slurmd.log, /var/log/munge/munged.log" >&2
  fi
  rm -f "$_replica_slurm_log"
fi
unset _replica_slurm_sudo _replica_slurm_stamp _replica_slurm_hash _replica_slurm_log _replica_slurm_become
