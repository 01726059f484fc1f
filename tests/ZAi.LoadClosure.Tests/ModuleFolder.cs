namespace ZAi.LoadClosure.Tests;

/// <summary>The built module folder: ZAI_MODULE_DIR (build.ps1 sets it), else out/ZAi of the repository.</summary>
public static class ModuleFolder
{
    public static string Path
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("ZAI_MODULE_DIR");
            if (!string.IsNullOrEmpty(fromEnvironment)) return Checked(fromEnvironment);
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "ZAi.psd1")) && Directory.Exists(System.IO.Path.Combine(dir.FullName, "src")))
                {
                    return Checked(System.IO.Path.Combine(dir.FullName, "out", "ZAi"));
                }
            }
            throw new DirectoryNotFoundException("Set ZAI_MODULE_DIR to the built module folder.");
        }
    }

    private static string Checked(string folder) =>
        File.Exists(System.IO.Path.Combine(folder, "ZAi.PowerShell.dll"))
            ? folder
            : throw new DirectoryNotFoundException($"'{folder}' holds no built module (ZAi.PowerShell.dll); run ./build.ps1 Build first.");
}
