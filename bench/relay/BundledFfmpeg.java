/** Prints the path of the ffmpeg executable bundled with JavaCV (extracting it on first use). */
public class BundledFfmpeg {
    public static void main(String[] args) {
        System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }
}
