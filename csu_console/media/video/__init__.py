"""Live camera video: decoding backends behind one :class:`CameraSource` interface."""
