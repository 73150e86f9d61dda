# SYNTAX TEST "source.opendkim-conf" "seed 004: default-opendkim snippets"
# Seed 004: /etc/default/opendkim. First the SOCKET line the post tells you to type,
# then the file as the post shows it: its quotes are typographic (U+201D, U+2033), which the shell does not treat as quotes.
#
SOCKET="local:/var/spool/postfix/opendkim/opendkim.sock"
# <------ meta.assignment.shell.opendkim-conf variable.other.assignment.opendkim-conf
#     ^ keyword.operator.assignment.opendkim-conf
#      ^ string.quoted.double.opendkim-conf punctuation.definition.string.begin.opendkim-conf
#       ^^^^^ string.quoted.double.opendkim-conf support.type.socket.opendkim-conf
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.path.opendkim-conf
#                                                      ^ punctuation.definition.string.end.opendkim-conf

# Command-line options specified here will override the contents of
# <------------------------------------- comment.line.number-sign.opendkim-conf
# /etc/opendkim.conf. See opendkim(8) for a complete list of options.
#DAEMON_OPTS=””
#^^^^^^^^^^^^^^ comment.line.number-sign.opendkim-conf - invalid.illegal.typographic-quote.opendkim-conf
#
# Uncomment to specify an alternate socket
# Note that setting this will override any Socket value in opendkim.conf
# default:
SOCKET=”local:/var/spool/postfix/opendkim/opendkim.sock”
# <------ variable.other.assignment.opendkim-conf
#     ^ keyword.operator.assignment.opendkim-conf
#      ^ invalid.illegal.typographic-quote.opendkim-conf
#       ^^^^^ support.type.socket.opendkim-conf
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.path.opendkim-conf
#                                                      ^ invalid.illegal.typographic-quote.opendkim-conf
# listen on all interfaces on port 54321:
#SOCKET=”inet:54321″
#^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.opendkim-conf
# listen on loopback on port 12345:
#SOCKET=”inet:12345@localhost”
# listen on 192.0.2.1 on port 12345:
#SOCKET=”inet:12345@192.0.2.1″
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.opendkim-conf
# the same lines with the comment marks removed: the U+2033 closing mark is also not a quote
SOCKET=”inet:12345@localhost″
#      ^ invalid.illegal.typographic-quote.opendkim-conf
#       ^^^^ support.type.socket.opendkim-conf
#            ^^^^^ constant.numeric.port.opendkim-conf
#                  ^^^^^^^^^ string.unquoted.host.opendkim-conf
#                           ^ invalid.illegal.typographic-quote.opendkim-conf
SOCKET=”inet:12345@192.0.2.1″
#                  ^^^^^^^^^ string.unquoted.host.opendkim-conf
#                           ^ invalid.illegal.typographic-quote.opendkim-conf
