/*
 * A minimal GStreamer RTSP server for the relay benchmark: serves one shared media (one pipeline for all
 * readers, like the relay's fan-out) at rtsp://0.0.0.0:PORT/bench, RTP over TCP only.
 *
 *   gst-rtsp-serve PORT 'LAUNCH LINE whose payloader is named pay0'
 */
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

int main(int argc, char *argv[]) {
    gst_init(&argc, &argv);
    if (argc != 3) {
        g_printerr("usage: %s PORT 'launch line with a payloader named pay0'\n", argv[0]);
        return 2;
    }
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    GstRTSPServer *server = gst_rtsp_server_new();
    gst_rtsp_server_set_service(server, argv[1]);

    GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(factory, argv[2]);
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    gst_rtsp_media_factory_set_protocols(factory, GST_RTSP_LOWER_TRANS_TCP);

    GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(server);
    gst_rtsp_mount_points_add_factory(mounts, "/bench", factory);
    g_object_unref(mounts);

    if (gst_rtsp_server_attach(server, NULL) == 0) {
        g_printerr("cannot listen on port %s\n", argv[1]);
        return 1;
    }
    g_print("serving rtsp://0.0.0.0:%s/bench\n", argv[1]);
    g_main_loop_run(loop);
    return 0;
}
