# opsplaybook - offline install (Windows PowerShell): powershell -ExecutionPolicy Bypass -File install.ps1
# Installs from wheels\ only (pip --no-index): no network is needed or used.
$ErrorActionPreference = "Stop"
Set-Location -LiteralPath $PSScriptRoot
$pyExe = $null; $pyArgs = @()
if (Get-Command py -ErrorAction SilentlyContinue) { $pyExe = "py"; $pyArgs = @("-@PYTHON_MINOR@") }
elseif (Get-Command python -ErrorAction SilentlyContinue) { $pyExe = "python" }
if (-not $pyExe) { Write-Error "Python @PYTHON_MINOR@ was not found. Install it first (python.org), then run this script again." }
Write-Host "Creating workshop\.venv ..."
& $pyExe @pyArgs -m venv workshop\.venv
if ($LASTEXITCODE -ne 0) { throw "python -m venv failed" }
Write-Host "Installing the workshop from wheels\ (no network) ..."
& workshop\.venv\Scripts\python.exe -m pip --isolated --disable-pip-version-check install --no-index --find-links wheels -r requirements.txt opsplaybook
if ($LASTEXITCODE -ne 0) { throw "pip install failed; the messages above say why (see INSTALL.md)" }
& workshop\.venv\Scripts\opsplaybook.exe --version
Write-Host "`nInstalled. Start the workshop with: powershell -ExecutionPolicy Bypass -File start.ps1"
