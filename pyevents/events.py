"""Client helper for external plugins of a Herald engine (and of Tapis event-engine).

An external plugin is a separate process that talks to its engine-side stand-in over one ZeroMQ
REQ socket, strictly alternating request and reply:

* ``plugin_command: next_msg`` asks for the next subscribed event (the engine waits for one);
* ``plugin_command: quit`` ends the plugin (the engine sends no reply);
* anything else is published as an event and acknowledged with ``event-engine: msg published``.

Events arrive with their type prefix; published payloads carry their own prefix.

Typical plugin::

    import zmq
    from events import get_plugin_socket, get_next_msg, publish_msg, send_quit_command

    context = zmq.Context()
    socket = get_plugin_socket(context, 6000, host="127.0.0.1")
    for _ in range(10):
        event = get_next_msg(socket)
        if event.startswith(b"TypeA"):
            body = event[len(b"TypeA"):]
            publish_msg(socket, b"TypeB" + str(len(body)).encode())
    send_quit_command(socket)

A ``timeout`` on :func:`get_next_msg` raises ``zmq.error.Again`` and leaves the socket usable: the
request stays outstanding, and the event the engine sends for it is returned by the next call
(a :func:`publish_msg` in between first waits for that event and keeps it for the next call), so
no event is lost and the socket never ends up in the wrong REQ state.
"""

import weakref

import zmq

NEXT_MSG_COMMAND = "plugin_command: next_msg"
QUIT_COMMAND = "plugin_command: quit"
PUBLISHED_REPLY = "event-engine: msg published"

# Per socket: whether a next_msg request is still waiting for its reply, and events already
# received for the caller. Kept outside the socket object, which maps attributes to options.
_pending = weakref.WeakKeyDictionary()
_received = weakref.WeakKeyDictionary()


def get_plugin_socket(context, port, host="engine"):
    """Returns a REQ socket connected to the engine's command port ``tcp://host:port``."""
    socket = context.socket(zmq.REQ)
    socket.connect("tcp://{}:{}".format(host, port))
    return socket


def get_next_msg(socket, timeout=-1):
    """Returns the next event (raw bytes, type prefix included), waiting for one.

    ``timeout`` is in milliseconds (-1 waits for ever). On timeout ``zmq.error.Again`` is raised and
    the request stays outstanding: the next call returns its event.
    """
    queued = _received.get(socket)
    if queued:
        return queued.pop(0)
    if not _pending.get(socket, False):
        try:
            socket.send_string(NEXT_MSG_COMMAND)
        except zmq.ZMQError as error:
            print("events: could not send next_msg: {}".format(error))
            raise
        _pending[socket] = True
    socket.RCVTIMEO = timeout
    try:
        event = socket.recv()
    finally:
        socket.RCVTIMEO = -1
    _pending[socket] = False
    return event


def _settle(socket):
    """Waits for the reply of an outstanding next_msg and keeps its event for get_next_msg."""
    if _pending.get(socket, False):
        event = socket.recv()
        _pending[socket] = False
        _received.setdefault(socket, []).append(event)


def publish_msg(socket, data):
    """Publishes ``data`` (bytes, type prefix included) and returns the engine's reply string."""
    _settle(socket)
    try:
        socket.send(data)
    except (zmq.ZMQError, TypeError) as error:
        print("events: could not publish: {}".format(error))
        raise
    reply = socket.recv_string()
    if PUBLISHED_REPLY not in reply:
        print("events: unexpected reply to publish: {}".format(reply))
    return reply


def send_quit_command(socket):
    """Tells the engine this plugin is done. The engine does not reply."""
    _settle(socket)
    try:
        socket.send_string(QUIT_COMMAND)
    except zmq.ZMQError as error:
        print("events: could not send quit: {}".format(error))
        raise
