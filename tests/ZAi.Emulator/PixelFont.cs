namespace ZAi.Emulator;

/// <summary>A 3x5 pixel font (upper-case letters, digits and a few signs) to write a task id into a picture.</summary>
internal static class PixelFont
{
    public const int Width = 3;
    public const int Height = 5;

    // Each glyph: 5 rows of 3 bits, most significant bit on the left.
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        ['A'] = [2, 5, 7, 5, 5], ['B'] = [6, 5, 6, 5, 6], ['C'] = [3, 4, 4, 4, 3], ['D'] = [6, 5, 5, 5, 6],
        ['E'] = [7, 4, 6, 4, 7], ['F'] = [7, 4, 6, 4, 4], ['G'] = [3, 4, 5, 5, 3], ['H'] = [5, 5, 7, 5, 5],
        ['I'] = [7, 2, 2, 2, 7], ['J'] = [1, 1, 1, 5, 2], ['K'] = [5, 5, 6, 5, 5], ['L'] = [4, 4, 4, 4, 7],
        ['M'] = [5, 7, 7, 5, 5], ['N'] = [6, 5, 5, 5, 5], ['O'] = [2, 5, 5, 5, 2], ['P'] = [6, 5, 6, 4, 4],
        ['Q'] = [2, 5, 5, 6, 3], ['R'] = [6, 5, 6, 5, 5], ['S'] = [3, 4, 2, 1, 6], ['T'] = [7, 2, 2, 2, 2],
        ['U'] = [5, 5, 5, 5, 7], ['V'] = [5, 5, 5, 5, 2], ['W'] = [5, 5, 7, 7, 5], ['X'] = [5, 5, 2, 5, 5],
        ['Y'] = [5, 5, 2, 2, 2], ['Z'] = [7, 1, 2, 4, 7],
        ['0'] = [7, 5, 5, 5, 7], ['1'] = [2, 6, 2, 2, 7], ['2'] = [6, 1, 2, 4, 7], ['3'] = [6, 1, 2, 1, 6],
        ['4'] = [5, 5, 7, 1, 1], ['5'] = [7, 4, 6, 1, 6], ['6'] = [3, 4, 7, 5, 7], ['7'] = [7, 1, 2, 2, 2],
        ['8'] = [7, 5, 7, 5, 7], ['9'] = [7, 5, 7, 1, 6],
        ['-'] = [0, 0, 7, 0, 0], ['_'] = [0, 0, 0, 0, 7], ['.'] = [0, 0, 0, 0, 2], [':'] = [0, 2, 0, 2, 0],
        [' '] = [0, 0, 0, 0, 0], ['?'] = [6, 1, 2, 0, 2],
    };

    /// <summary>Whether the pixel (x, y) of <paramref name="c"/> is set; unknown characters show as '?'.</summary>
    public static bool IsSet(char c, int x, int y)
    {
        if (!Glyphs.TryGetValue(char.ToUpperInvariant(c), out byte[]? rows)) rows = Glyphs['?'];
        return (rows[y] & (4 >> x)) != 0;
    }
}
