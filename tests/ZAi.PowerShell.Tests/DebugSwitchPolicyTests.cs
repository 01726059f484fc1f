using ZAi.PowerShell.Pipeline;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Issue 19, item 1: -Debug prints on PowerShell 7 and never waits for an answer nobody can give.</summary>
public class DebugSwitchPolicyTests
{
    [Theory]
    [InlineData(7, true, true)]
    [InlineData(7, false, true)]
    [InlineData(6, true, true)]
    [InlineData(3, true, false)]   // Windows PowerShell 5.1 (its assembly version is 3.0) with someone to answer
    [InlineData(3, false, true)]
    public void PrintsWithoutAskingOnSevenAndWhereNobodyCanAnswer(int major, bool canPrompt, bool expected) =>
        Assert.Equal(expected, DebugSwitchPolicy.PrintsWithoutAsking(major, canPrompt));

    [Theory]
    [InlineData("ConsoleHost", new[] { "powershell.exe" }, true, true)]
    [InlineData("ConsoleHost", new[] { "powershell.exe", "-NonInteractive", "-File", "x.ps1" }, true, false)]
    [InlineData("ConsoleHost", new[] { "powershell.exe", "-noni" }, true, false)]
    [InlineData("ConsoleHost", new[] { "powershell.exe", "/NonI" }, true, false)]
    [InlineData("ConsoleHost", new[] { "powershell.exe", "-nop" }, true, true)]
    [InlineData("ConsoleHost", new[] { "powershell.exe", "-Command", "non" }, true, true)]
    [InlineData("ServerRemoteHost", new[] { "wsmprovhost.exe" }, true, false)]
    [InlineData("Default Host", new string[0], true, false)]
    [InlineData("ConsoleHost", new[] { "powershell.exe" }, false, false)]
    public void HostCanPromptOnlyInAnInteractiveConsole(string host, string[] commandLine, bool userInteractive, bool expected) =>
        Assert.Equal(expected, DebugSwitchPolicy.HostCanPrompt(host, commandLine, userInteractive));
}
