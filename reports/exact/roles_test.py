"""Thread roles from what each thread ran, on hand-written profiles shaped like a real
run's (harness_roles_test checks a real one): stripped GStreamer libraries, their
static functions named by address."""
import unittest
from typing import Dict

from reports.exact import callgrind, roles

GST = "ob=(1) /usr/lib/x86_64-linux-gnu/libgstreamer-1.0.so.0.2200.0\n"
GLIB = "ob=(2) /usr/lib/x86_64-linux-gnu/libglib-2.0.so.0.7400.6\n"
PLUGINS = "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/"


def task_thread(element_lib: str, below: str = "") -> str:
    """GStreamer's task (libgstreamer, stripped) calling an element's loop in
    `element_lib`, which calls gst_pad_push (and `below`)."""
    return ("events: Ir\n" + GST + "fn=(1) 0x00000000000c3460\n1 10\n"
            f"cob=(3) {element_lib}\ncfn=(2) 0x0000000000040000\ncalls=5 0\n1 500\n"
            "ob=(3)\nfn=(2)\n1 300\ncob=(1)\ncfn=(3) gst_pad_push\ncalls=5 0\n1 200\n"
            + below + GST + "fn=(3)\n1 200\n")


THREADS = {
    # Whatever main runs, it is the harness's thread.
    1: "events: Ir\nfn=(1) main\n1 5\n",
    2: task_thread(PLUGINS + "libgstcoreelements.so"),
    3: task_thread(PLUGINS + "libgstrtpmanager.so"),
    # rtpjitterbuffer's timer: its own loop, no GStreamer task above it.
    4: ("events: Ir\nob=(1) " + PLUGINS + "libgstrtpmanager.so\nfn=(1) 0x000000000001b930\n1 9\n"
        + "cob=(2) /usr/lib/x86_64-linux-gnu/libglib-2.0.so.0\ncfn=(2) g_cond_wait_until\n"
        + "calls=1 0\n1 3\n" + GLIB + "fn=(2)\n1 3\n"),
    5: task_thread("/usr/lib/x86_64-linux-gnu/libgstbase-1.0.so.0.2200.0"),
    6: "events: Ir\nob=(1) /b/rxbench\nfn=(1) rxbench::receivers::ReceiveLoop::Run()\n1 50\n",
    7: ("events: Ir\nob=(1) /b/rxbench\nfn=(1) rxbench::traffic_gen::Generator::Run("
        "std::promise<std::string>)\n1 50\n"),
    # A GLib worker that never left GLib.
    8: "events: Ir\n" + GLIB + "fn=(1) 0x00000000000a88b0\n1 4\n",
}


def profiles(texts: Dict[int, str]) -> Dict[int, callgrind.ThreadProfile]:
    return {n: callgrind.read_text(t) for n, t in texts.items()}


class Roles(unittest.TestCase):
    def test_each_thread_by_what_it_ran(self) -> None:
        self.assertEqual(roles.roles(profiles(THREADS)), {
            1: "harness", 2: "queue", 3: "rtpjitterbuffer", 4: "pipeline:timer", 5: "src",
            6: "receiver", 7: "generator", 8: "other:thread8"})

    def test_the_order_threads_were_started_in_does_not_matter(self) -> None:
        shuffled = {1: THREADS[1], 2: THREADS[5], 3: THREADS[4], 4: THREADS[2], 5: THREADS[3]}
        self.assertEqual(roles.roles(profiles(shuffled)), {
            1: "harness", 2: "src", 3: "pipeline:timer", 4: "queue", 5: "rtpjitterbuffer"})

    def test_udpsrc_thread_is_the_receiver(self) -> None:
        udp = ("cob=(4) " + PLUGINS + "libgstudp.so\ncfn=(4) 0x0000000000009000\ncalls=5 0\n1 9\n"
               "ob=(4)\nfn=(4)\n1 9\n")
        thread = task_thread("/usr/lib/x86_64-linux-gnu/libgstbase-1.0.so.0", below=udp)
        self.assertEqual(roles.roles(profiles({3: thread})), {3: "receiver"})

    def test_an_element_of_another_library(self) -> None:
        thread = task_thread(PLUGINS + "libgstvideoparsersbad.so")
        self.assertEqual(roles.roles(profiles({4: thread})), {4: "pipeline:libgstvideoparsersbad"})

    def test_the_harness_code_on_a_streaming_thread_is_not_its_entry(self) -> None:
        # A pad probe of the harness on the queue's thread, heavier than the queue's loop.
        call = "cob=(5) /b/rxbench\ncfn=(5) rxbench::harness::SinkProbe::OnBuffer()\n" \
               "calls=5 0\n1 9000\n"
        thread = THREADS[2].replace("fn=(1) 0x00000000000c3460\n1 10\n",
                                    "fn=(1) 0x00000000000c3460\n1 10\n" + call)
        thread += "ob=(5)\nfn=(5)\n1 9000\n"
        self.assertEqual(roles.roles(profiles({2: thread})), {2: "queue"})


if __name__ == "__main__":
    unittest.main()
