# bash completion for jvirsh: commands, their options and domain names.
# Install: source this file from ~/.bashrc, or copy it to
# ~/.local/share/bash-completion/completions/jvirsh (bash-completion loads it on demand).
#
# jvirsh itself knows its commands: the hidden `jvirsh complete -- WORDS...` prints the
# candidates for the last word, as virsh's `complete` does.

_jvirsh_complete()
{
    # Split the line up to the cursor ourselves: bash's own word breaks cut URIs at ':'.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<< "$line"
    if [[ $line == *[[:space:]] || ${#words[@]} -eq 0 ]]; then
        words+=("")
    fi
    local cur=${words[-1]}

    # Global options before the command: keep -c URI and -r, skip the others.
    local -a global=()
    local i=1
    while (( i < ${#words[@]} - 1 )); do
        case ${words[i]} in
            -c|--connect) global+=(-c "${words[i+1]}"); i=$((i + 2)) ;;
            --connect=*) global+=(-c "${words[i]#--connect=}"); i=$((i + 1)) ;;
            -r|--readonly) global+=(-r); i=$((i + 1)) ;;
            -q|--quiet) i=$((i + 1)) ;;
            -*) i=$((i + 1)) ;;
            *) break ;;
        esac
    done
    # Completing the URI of -c is left to the default (file names).
    if (( i == ${#words[@]} - 1 )) && [[ ${words[i-1]:-} == -c || ${words[i-1]:-} == --connect ]]; then
        return 0
    fi
    if (( i == ${#words[@]} - 1 )) && [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-c --connect -r --readonly -q --quiet -h --help -v --version" -- "$cur"))
        return 0
    fi

    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" "${global[@]}" complete -- "${words[@]:i}" 2>/dev/null))
    # bash replaces only the part of the word after its last break character
    if [[ $cur == *[:=]* ]]; then
        local head=${cur%"${cur##*[:=]}"}
        COMPREPLY=("${COMPREPLY[@]#"$head"}")
    fi
    return 0
}
complete -o default -F _jvirsh_complete jvirsh
