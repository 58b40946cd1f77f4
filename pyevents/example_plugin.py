"""The external plugin of the engine example: reads 10 events (5 TypeA, 5 TypeB), says goodbye.

Usage: python3 example_plugin.py [port] [host]   (defaults: 6000, 127.0.0.1)
"""

import sys
import time

import zmq

from events import get_next_msg, get_plugin_socket, publish_msg, send_quit_command


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    context = zmq.Context()
    socket = get_plugin_socket(context, port, host)
    for _ in range(10):
        event = get_next_msg(socket)
        print("py_plugin got {!r}".format(event), flush=True)
    time.sleep(0.3)
    reply = publish_msg(socket, b"TypeCGoodbye from python")
    print("py_plugin published TypeC: {}".format(reply), flush=True)
    send_quit_command(socket)
    socket.close(linger=1000)
    context.term()


if __name__ == "__main__":
    main()
