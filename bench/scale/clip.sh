# Sourced by the scale benchmarks: sets CLIP to the clip they stream, made once under $WORK from SOURCE (opencv-doc's
# vtest.avi pedestrians by default) as a drone would send it: 640x360 at 15 fps, x264 Main, GOP 30.
SOURCE=${SOURCE:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
CLIP=$WORK/vtest-640x360-15.mp4
if [[ ! -f $CLIP ]]; then
  [[ -f $SOURCE ]] || { echo "no $SOURCE: apt-get install opencv-doc (or SOURCE=another clip)" >&2; exit 1; }
  ffmpeg -loglevel error -y -i "$SOURCE" -vf scale=640:360,fps=15 -c:v libx264 -profile:v main -g 30 -an "$CLIP"
fi
