# Bash completion for cbb: asks cbb itself through System.CommandLine's [suggest] directive, so the completions
# are always those of the cbb that runs (commands, options, option values such as --proto tcp|udp).
# Enable: source this file from ~/.bashrc (or copy it to /etc/bash_completion.d/cbb).
_cbb_complete() {
    local IFS=$'\n'
    COMPREPLY=($(cbb "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
}
complete -o default -F _cbb_complete cbb
