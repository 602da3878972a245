// The C side of the control plane: libmicrohttpd, plus small helpers for the calls Swift cannot
// make itself (C variadic functions). Only the Swift type HTTPServer imports this module.
#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

/// Starts a daemon with an internal polling thread, bound to `address` (the daemon binds every
/// interface unless given one), with a connection limit, a per-IP limit (0 = none) and an idle
/// timeout in seconds.
/// libmicrohttpd's default SO_REUSEADDR lets a restarted VM bind at once; SO_REUSEPORT is not set
/// (MHD_OPTION_LISTENING_ADDRESS_REUSE), so a second VM on the same port fails instead of sharing it.
/// `completed` is called once per request when MHD is done with it, to free per-request state.
/// `unescape` percent-decodes the path and query arguments in place and returns the new length.
static inline struct MHD_Daemon *CMHD_start_daemon(
    unsigned int flags, uint16_t port, const struct sockaddr *address,
    MHD_AccessHandlerCallback handler, void *handler_context,
    MHD_RequestCompletedCallback completed, void *completed_context,
    size_t (*unescape)(void *context, struct MHD_Connection *connection, char *string),
    unsigned int connection_limit, unsigned int per_ip_limit, unsigned int timeout_seconds)
{
    return MHD_start_daemon(
        flags, port, NULL, NULL, handler, handler_context,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
        MHD_OPTION_SOCK_ADDR, address,
        MHD_OPTION_END);
}

/// The port the daemon listens on (useful after asking for port 0), or 0 if unknown.
static inline uint16_t CMHD_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/// The daemon flags the control plane uses: one internal thread with epoll where libmicrohttpd has
/// it (Linux), else poll, else whatever it picks. Never select(): it cannot watch descriptors past
/// FD_SETSIZE (1024), so a thousand idle connections would lock everyone out. The benchmark's plain
/// C server uses the same.
static inline unsigned int CMHD_default_flags(void)
{
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES) return MHD_USE_EPOLL_INTERNAL_THREAD;
    if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES) return MHD_USE_POLL_INTERNAL_THREAD;
    return MHD_USE_AUTO_INTERNAL_THREAD;
}

#endif
