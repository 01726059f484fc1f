using System.IO;
using ZAi.PowerShell.Loading;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// The MAX_PATH limit of Windows PowerShell 5.1: powershell.exe runs .NET Framework with its legacy path
    /// handling, whose file APIs refuse a path of 260 characters or more (a folder to create: 248 or more) with a
    /// bare PathTooLongException. This says which path is too long, by how much, and what to do. PowerShell 7
    /// has no such limit, so there it checks nothing.
    /// </summary>
    internal sealed class PathLengthLimit
    {
        /// <summary>The longest file path .NET Framework accepts, in characters: MAX_PATH (260) less the terminating NUL.</summary>
        public const int MaxFilePath = 259;

        /// <summary>The longest folder path it can create: MAX_PATH less room for an 8.3 file name and the NUL.</summary>
        public const int MaxFolderPath = 247;

        private const string Advice = "Windows PowerShell 5.1 (.NET Framework) cannot use longer paths. Save to a folder with a shorter path, or use PowerShell 7.";

        public PathLengthLimit(bool applies)
        {
            Applies = applies;
        }

        /// <summary>The limit of this process: on .NET Framework only.</summary>
        public static PathLengthLimit Current { get; } = new PathLengthLimit(NetFramework.IsCurrent);

        public bool Applies { get; }

        /// <summary>Throws ArgumentException when <paramref name="folder"/> (a full path) is too long to be created or to hold files.</summary>
        public void CheckFolder(string folder)
        {
            if (Applies && folder.Length > MaxFolderPath)
            {
                throw new System.ArgumentException($"-Path '{folder}' is {folder.Length} characters long, more than the {MaxFolderPath} a folder may have. {Advice}");
            }
        }

        /// <summary>Throws PathTooLongException when the file path <paramref name="path"/> is too long.</summary>
        public void CheckFile(string path)
        {
            if (Applies && path.Length > MaxFilePath)
            {
                throw new PathTooLongException($"The file path '{path}' is {path.Length} characters long, more than the {MaxFilePath} a file path may have. {Advice}");
            }
        }
    }
}
