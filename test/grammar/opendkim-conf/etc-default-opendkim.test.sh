# SYNTAX TEST "source.opendkim-conf" "/etc/default/opendkim shell form"
# Debian's /etc/default/opendkim: a shell fragment that shares the opendkim-conf language.
#
#DAEMON_OPTS=""
#^^^^^^^^^^^^^^ comment.line.number-sign.opendkim-conf
RUNDIR=/run/opendkim
# <------ meta.assignment.shell.opendkim-conf variable.other.assignment.opendkim-conf
#     ^ keyword.operator.assignment.opendkim-conf
#      ^^^^^^^^^^^^^ string.unquoted.path.opendkim-conf
SOCKET=local:$RUNDIR/opendkim.sock
# <------ variable.other.assignment.opendkim-conf
#      ^^^^^ support.type.socket.opendkim-conf
#            ^ punctuation.definition.variable.opendkim-conf
#             ^^^^^^ variable.other.reference.opendkim-conf
#                   ^^^^^^^^^^^^^^ string.unquoted.path.opendkim-conf
SOCKET="inet:12345@192.0.2.1"
#      ^ string.quoted.double.opendkim-conf punctuation.definition.string.begin.opendkim-conf
#       ^^^^ string.quoted.double.opendkim-conf support.type.socket.opendkim-conf
#            ^^^^^ constant.numeric.port.opendkim-conf
#                  ^^^^^^^^^ string.unquoted.host.opendkim-conf
#                           ^ punctuation.definition.string.end.opendkim-conf
USER=opendkim
# <---- variable.other.assignment.opendkim-conf
PIDFILE=$RUNDIR/$NAME.pid
#        ^^^^^^ variable.other.reference.opendkim-conf
#                ^^^^ variable.other.reference.opendkim-conf
EXTRAAFTER=
# <---------- variable.other.assignment.opendkim-conf
#         ^ keyword.operator.assignment.opendkim-conf
DAEMON_OPTS="-x ${CONF}" # trailing comment
#                 ^^^^ variable.other.reference.opendkim-conf
#                ^ punctuation.definition.variable.begin.opendkim-conf
#                        ^ comment.line.number-sign.opendkim-conf
export OPTS='-v #not-a-comment'
# <------ storage.modifier.export.opendkim-conf
#      ^^^^ variable.other.assignment.opendkim-conf
#               ^^^^^^^^^^^^^^ string.quoted.single.opendkim-conf - comment.line.number-sign.opendkim-conf
SOCKET=”local:/var/spool/postfix/opendkim/opendkim.sock”
#      ^ invalid.illegal.typographic-quote.opendkim-conf
#       ^^^^^ support.type.socket.opendkim-conf
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.path.opendkim-conf
#                                                      ^ invalid.illegal.typographic-quote.opendkim-conf
