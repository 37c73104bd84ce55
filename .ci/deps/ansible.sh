# Ansible for the Slurm role (slurm.sh) and the playbook lint test (AnsiblePlaybooksTest):
# ansible-core and ansible-lint from Debian. Sourced by .ci/run; installs only what is missing.
. "$(dirname "${BASH_SOURCE[0]}")/_apt.sh"
replica_apt_install ansible "the Ansible and Slurm tests fail when CI=true" ansible-core ansible-lint
