/*
 * The baseline for the control plane's HTTP benchmark: a plain C libmicrohttpd server that
 * answers every request with a fixed JSON body the size of a VM's GET /clock answer, with the
 * same daemon flags and options as vmserver's control plane (Sources/CMicroHTTPD/shim.h; the limits
 * of a VM whose open-file limit allows 10,000 connections) and the same answer-on-a-later-call
 * pattern (which keeps keep-alive working since 0.9.75). It leaves out vmserver's unescape
 * callback, which costs nothing on a path without '%'.
 *
 * Build: cc -O2 -o plain-mhd plain-mhd.c $(pkg-config --cflags --libs libmicrohttpd)
 * Run:   ./plain-mhd PORT [BODY]
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *body = "{\"vm_id\":1,\"clock\":123456}";
static int marker;

static enum MHD_Result answer(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **request_context)
{
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    if (*request_context == NULL) {
        *request_context = &marker; /* first call: headers only; answer on the next one */
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (response == NULL) return MHD_NO;
    MHD_add_response_header(response, "Content-Type", "application/json");
    enum MHD_Result result = MHD_queue_response(connection, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return result;
}

static void completed(void *cls, struct MHD_Connection *connection, void **request_context,
                      enum MHD_RequestTerminationCode code)
{
    (void)cls; (void)connection; (void)code;
    *request_context = NULL;
}

static volatile sig_atomic_t running = 1;
static void on_signal(int signal_number) { (void)signal_number; running = 0; }

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [BODY]\n", argv[0]);
        return 2;
    }
    if (argc > 2) body = argv[2];
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)atoi(argv[1]));
    address.sin_addr.s_addr = inet_addr("127.0.0.1");
    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES) flags = MHD_USE_EPOLL_INTERNAL_THREAD;
    else if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES) flags = MHD_USE_POLL_INTERNAL_THREAD;
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, (uint16_t)atoi(argv[1]), NULL, NULL, answer, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)10000,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)8750,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "plain-mhd: cannot listen on 127.0.0.1:%s\n", argv[1]);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (running) pause();
    MHD_stop_daemon(daemon);
    return 0;
}
