# Ansible for the Slurm role (slurm.sh) and the playbook lint test (AnsiblePlaybooksTest):
# ansible-core and ansible-lint from Debian. Sourced by .ci/run; installs only what is missing.
if command -v dpkg-query >/dev/null 2>&1; then
  _replica_ansible_pkgs=""
  for _p in ansible-core ansible-lint; do
    if ! dpkg-query -W -f='${Status}' "$_p" 2>/dev/null | grep -q "install ok installed"; then
      _replica_ansible_pkgs="$_replica_ansible_pkgs $_p"
    fi
  done
  if [ -n "$_replica_ansible_pkgs" ]; then
    _replica_sudo=""
    if [ "$(id -u)" -ne 0 ]; then _replica_sudo="sudo"; fi
    echo "ansible: installing$_replica_ansible_pkgs" >&2
    $_replica_sudo apt-get update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive $_replica_sudo apt-get install -y -qq --no-install-recommends \
        $_replica_ansible_pkgs >/dev/null \
      || echo "ansible: could not install$_replica_ansible_pkgs (the Ansible tests fail when CI=true)" >&2
  fi
  unset _p _replica_ansible_pkgs _replica_sudo
fi
