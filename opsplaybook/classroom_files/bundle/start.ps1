# opsplaybook - start the workshop's JupyterLab (Windows PowerShell):
#   powershell -ExecutionPolicy Bypass -File start.ps1 [--ui-lang zh]
Set-Location -LiteralPath (Join-Path $PSScriptRoot "workshop")
$here = (Get-Location).Path
$env:OPSPLAYBOOK_HOME = Join-Path $here ".opsplaybook"
$env:OPSPLAYBOOK_DEMO = Join-Path $here "datasets\demo"
& .venv\Scripts\opsplaybook.exe lab --notebook-dir $here @args
