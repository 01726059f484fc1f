namespace ZAi.Emulator;

/// <summary>
/// The picture the emulator's media show: a colour gradient seeded by the task, a band, and the text
/// (the task id and the file) written large enough to read. RGB, 8 bits per channel.
/// </summary>
internal sealed class Picture
{
    public Picture(int width, int height, string text, ulong seed)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        byte r0 = (byte)(seed >> 8), g0 = (byte)(seed >> 24), b0 = (byte)(seed >> 40);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                Pixels[i] = (byte)((r0 / 2) + (x * 127 / Math.Max(1, width - 1)));
                Pixels[i + 1] = (byte)((g0 / 2) + (y * 127 / Math.Max(1, height - 1)));
                Pixels[i + 2] = (byte)((b0 / 2) + 64);
            }
        }
        DrawText(text);
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    private void DrawText(string text)
    {
        const int margin = 2;
        int available = Width - 2 * margin;
        int scale = Math.Max(1, Math.Min(available / Math.Max(1, text.Length * (PixelFont.Width + 1)), Height / (PixelFont.Height * 3)));
        int perLine = Math.Max(1, available / ((PixelFont.Width + 1) * scale));
        var lines = new List<string>();
        for (int i = 0; i < text.Length; i += perLine) lines.Add(text.Substring(i, Math.Min(perLine, text.Length - i)));
        int lineHeight = (PixelFont.Height + 2) * scale;
        int top = Math.Max(0, (Height - lines.Count * lineHeight) / 2);
        Fill(0, Math.Max(0, top - scale), Width, Math.Min(Height, top + lines.Count * lineHeight + scale), 16, 16, 16);
        for (int line = 0; line < lines.Count; line++)
        {
            int y0 = top + line * lineHeight + scale;
            for (int c = 0; c < lines[line].Length; c++)
            {
                int x0 = margin + c * (PixelFont.Width + 1) * scale;
                for (int gy = 0; gy < PixelFont.Height; gy++)
                {
                    for (int gx = 0; gx < PixelFont.Width; gx++)
                    {
                        if (PixelFont.IsSet(lines[line][c], gx, gy)) Fill(x0 + gx * scale, y0 + gy * scale, x0 + (gx + 1) * scale, y0 + (gy + 1) * scale, 250, 250, 250);
                    }
                }
            }
        }
    }

    private void Fill(int x0, int y0, int x1, int y1, byte r, byte g, byte b)
    {
        for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
        {
            for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
            {
                int i = (y * Width + x) * 3;
                Pixels[i] = r;
                Pixels[i + 1] = g;
                Pixels[i + 2] = b;
            }
        }
    }
}
