@echo off
rem opsplaybook - offline install (Windows). Double-click this file, or run it in a command prompt.
rem Installs from wheels\ only (pip --no-index): no network is needed or used.
setlocal
chcp 65001 >nul
cd /d "%~dp0"
set "PY="
where py >nul 2>nul && set "PY=py -@PYTHON_MINOR@"
if not defined PY (where python >nul 2>nul && set "PY=python")
if not defined PY (
  echo Python @PYTHON_MINOR@ was not found. Install it first ^(python.org^), then run this file again.
  pause
  exit /b 1
)
echo Creating workshop\.venv ...
%PY% -m venv workshop\.venv || goto :fail
echo Installing the workshop from wheels\ (no network) ...
workshop\.venv\Scripts\python.exe -m pip --isolated --disable-pip-version-check install --no-index --find-links wheels -r requirements.txt opsplaybook || goto :fail
workshop\.venv\Scripts\opsplaybook.exe --version
echo.
echo Installed. Start the workshop with start.bat
pause
exit /b 0
:fail
echo.
echo The installation failed; the messages above say why (see INSTALL.md).
pause
exit /b 1
